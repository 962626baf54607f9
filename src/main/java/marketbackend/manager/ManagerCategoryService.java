package marketbackend.manager;

import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.catalog.CatalogScope;
import marketbackend.catalog.CategoryRepository;
import marketbackend.catalog.CategoryRepository.ManagedCategoryJson;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.http.Json;
import marketbackend.http.Page;
import marketbackend.http.Query;
import marketbackend.market.MarketRegistry;

/**
 * {@code /api/manager/categories}: list, read, create, change ({@code PATCH}) and deactivate
 * ({@code DELETE}) categories of the managed market and of ALL (ALL: managers of every market).
 */
public final class ManagerCategoryService implements HttpService {
    private static final Deactivation<ManagedCategoryJson> DEACTIVATION = new Deactivation<>("category", "Category",
            (tx, ctx, id) -> CategoryRepository.findManaged(tx, id), CategoryRepository::deactivate,
            ManagedCategoryJson::market, ManagedCategoryJson::isActive);

    private final Db db;
    private final MarketRegistry markets;

    public ManagerCategoryService(Db db, MarketRegistry markets) {
        this.db = db;
        this.markets = markets;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .get("/{id}", this::one)
                .patch("/{id}", this::change)
                .delete("/{id}", this::deactivate);
    }

    record CreateBody(String name, String market, Long parentId, Integer position) {
    }

    record PatchBody(String name, Long parentId, Integer position, Boolean isActive) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        Query.Paging paging = Query.paging(req);
        Json.send(res, db.inMarket(ctx, tx -> Page.read(tx, paging, CategoryRepository.managed())));
    }

    private void one(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        long id = Query.pathId(req, "id", "Category");
        Json.send(res, db.inMarket(ctx, tx -> CategoryRepository.findManaged(tx, id))
                .orElseThrow(() -> ApiException.notFound("Category")));
    }

    private void create(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        CreateBody b = Json.read(req, CreateBody.class);
        String name = Validate.text("name", b.name(), 200);
        int position = b.position() == null ? 0 : Validate.position(b.position());
        Long parentId = Validate.id("parent_id", b.parentId());
        ManagedCategoryJson created = db.inMarket(ctx, tx -> {
            String market = CatalogScope.forCreate(tx, ctx, markets, b.market());
            if (parentId != null) {
                requireParent(tx, parentId, market, null);
            }
            long id = CategoryRepository.create(tx, market, parentId, name, position);
            ManagedCategoryJson after = CategoryRepository.findManaged(tx, id).orElseThrow();
            Audit.record(tx, "create", "category", id, null, Audit.json(after));
            return after;
        });
        res.header(HeaderNames.LOCATION, "/api/manager/categories/" + created.id());
        Json.send(res, Status.CREATED_201.code(), created);
    }

    private void change(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        long id = Query.pathId(req, "id", "Category");
        Bodies.Partial<PatchBody> body = Bodies.partial(req, PatchBody.class);
        PatchBody b = body.value();
        Map<String, Object> changes = new LinkedHashMap<>();
        if (body.has("name")) {
            changes.put("name", Validate.text("name", b.name(), 200));
        }
        if (body.has("parent_id")) {
            changes.put("parent_id", Validate.id("parent_id", b.parentId()));
        }
        if (body.has("position")) {
            changes.put("position", Validate.position(b.position()));
        }
        if (body.has("is_active")) {
            changes.put("is_active", Validate.bool("is_active", b.isActive()));
        }
        ManagedCategoryJson changed = db.inMarket(ctx, tx -> {
            ManagedCategoryJson before = CategoryRepository.findManaged(tx, id)
                    .orElseThrow(() -> ApiException.notFound("Category"));
            CatalogScope.requireWritable(tx, ctx, before.market());
            if (b.parentId() != null) {
                requireParent(tx, b.parentId(), before.market(), id);
            }
            if (!CategoryRepository.update(tx, id, changes)) {
                throw ApiException.notFound("Category");
            }
            ManagedCategoryJson after = CategoryRepository.findManaged(tx, id).orElseThrow();
            Audit.record(tx, "update", "category", id, Audit.json(before), Audit.json(after));
            return after;
        });
        Json.send(res, changed);
    }

    private void deactivate(ServerRequest req, ServerResponse res) {
        DEACTIVATION.handle(db, req, res);
    }

    /** A parent must be visible, of the same market or ALL, and not the category itself or below it. */
    private static void requireParent(Tx tx, long parentId, String market, Long self) {
        String parentMarket = CategoryRepository.market(tx, parentId)
                .orElseThrow(() -> ApiException.unprocessable("Field 'parent_id' names no category of this market"));
        if (!CatalogScope.sellsIn(parentMarket, market)) {
            throw ApiException.unprocessable("A category of " + market + " needs a parent of " + market + " or ALL");
        }
        if (self != null && CategoryRepository.isWithin(tx, parentId, self)) {
            throw ApiException.unprocessable("Field 'parent_id' would make the category its own ancestor");
        }
    }
}
