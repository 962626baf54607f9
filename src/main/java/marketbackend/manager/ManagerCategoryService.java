package marketbackend.manager;

import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.catalog.CatalogScope;
import marketbackend.catalog.CategoryRepository.ManagedCategoryJson;
import marketbackend.catalog.CategoryRepository;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Query;
import marketbackend.market.MarketRegistry;
import marketbackend.value.Paging;

/**
 * {@code /api/manager/categories}: list, read, create, change ({@code PATCH}) and deactivate
 * ({@code DELETE}) categories of the managed market and of ALL (ALL: managers of every market).
 */
public final class ManagerCategoryService implements HttpService {
    private static final ManagerCatalogSteps<ManagedCategoryJson> ROWS = new ManagerCatalogSteps<>("category", "Category",
            "/api/manager/categories", (tx, ctx, id) -> CategoryRepository.findManaged(tx, id),
            CategoryRepository::update, ManagedCategoryJson::market, ManagedCategoryJson::isActive);

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
                .get("/{id}", (req, res) -> ROWS.one(db, req, res))
                .patch("/{id}", this::change)
                .delete("/{id}", (req, res) -> ROWS.deactivate(db, req, res));
    }

    record CreateBody(String name, String market, Long parentId, Integer position) {
    }

    record PatchBody(String name, Long parentId, Integer position, Boolean isActive) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        Paging paging = Query.paging(req);
        Json.send(res, db.inMarket(ctx, tx -> CategoryRepository.managed().page(tx, paging)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
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
            return ROWS.audited(tx, ctx, "create", id, null);
        });
        ROWS.sendCreated(res, created.id(), created);
    }

    private void change(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        long id = ROWS.id(req);
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
            ManagedCategoryJson before = ROWS.existing(tx, ctx, id);
            CatalogScope.requireWritable(tx, ctx, before.market());
            if (b.parentId() != null) {
                requireParent(tx, b.parentId(), before.market(), id);
            }
            ROWS.requireWritten(CategoryRepository.update(tx, id, changes));
            return ROWS.audited(tx, ctx, "update", id, before);
        });
        Json.send(res, changed);
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
