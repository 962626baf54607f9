package marketbackend.manager;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbRow;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Rows;
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
    private static final String SELECT = "SELECT id, market, parent_id, name, position, is_active, created_at FROM categories";

    private static final Deactivation<CategoryJson> DEACTIVATION = new Deactivation<>("category", "Category",
            "UPDATE categories SET is_active = false WHERE id = ?", (tx, ctx, id) -> find(tx, id), CategoryJson::market, CategoryJson::isActive);

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

    record CategoryJson(long id, String market, Long parentId, String name, int position, boolean isActive,
                        OffsetDateTime createdAt) {
    }

    record CreateBody(String name, String market, Long parentId, Integer position) {
    }

    record PatchBody(String name, Long parentId, Integer position, Boolean isActive) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        Query.Paging paging = Query.paging(req);
        Page<CategoryJson> page = db.inMarket(ctx, tx -> {
            List<CategoryJson> items = tx.query(SELECT + " ORDER BY position, id LIMIT ? OFFSET ?",
                    paging.size(), paging.offset()).stream().map(ManagerCategoryService::toJson).toList();
            long total = tx.get("SELECT count(*) AS n FROM categories").map(r -> Rows.number(r, "n")).orElse(0L);
            return Page.of(items, paging.page(), paging.size(), total);
        });
        Json.send(res, page);
    }

    private void one(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        long id = Query.pathId(req, "id", "Category");
        Json.send(res, db.inMarket(ctx, tx -> find(tx, id)).orElseThrow(() -> ApiException.notFound("Category")));
    }

    private void create(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        CreateBody b = Json.read(req, CreateBody.class);
        String name = Validate.text("name", b.name(), 200);
        int position = b.position() == null ? 0 : Validate.range("position", b.position(), -1_000_000, 1_000_000);
        Long parentId = Validate.id("parent_id", b.parentId());
        CategoryJson created = db.inMarket(ctx, tx -> {
            String market = CatalogScope.forCreate(tx, ctx, markets, b.market());
            if (parentId != null) {
                requireParent(tx, parentId, market, null);
            }
            long id = tx.get("""
                    INSERT INTO categories (market, parent_id, name, position)
                    VALUES (?, CAST(? AS bigint), ?, ?) RETURNING id""", market, parentId, name, position)
                    .map(r -> Rows.number(r, "id")).orElseThrow();
            CategoryJson after = find(tx, id).orElseThrow();
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
        Updates update = new Updates("categories");
        if (body.has("name")) {
            update.set("name", "text", Validate.text("name", b.name(), 200));
        }
        if (body.has("parent_id")) {
            update.set("parent_id", "bigint", Validate.id("parent_id", b.parentId()));
        }
        if (body.has("position")) {
            update.set("position", "integer", Validate.range("position", b.position(), -1_000_000, 1_000_000));
        }
        if (body.has("is_active")) {
            if (b.isActive() == null) {
                throw ApiException.unprocessable("Field 'is_active' must be true or false");
            }
            update.set("is_active", "boolean", b.isActive());
        }
        CategoryJson changed = db.inMarket(ctx, tx -> {
            CategoryJson before = find(tx, id).orElseThrow(() -> ApiException.notFound("Category"));
            CatalogScope.requireWritable(tx, ctx, before.market());
            if (b.parentId() != null) {
                requireParent(tx, b.parentId(), before.market(), id);
            }
            if (update.run(tx, id) == 0) {
                throw ApiException.notFound("Category");
            }
            CategoryJson after = find(tx, id).orElseThrow();
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
        String parentMarket = tx.get("SELECT market FROM categories WHERE id = ?", parentId)
                .map(r -> Rows.text(r, "market"))
                .orElseThrow(() -> ApiException.unprocessable("Field 'parent_id' names no category of this market"));
        if (!parentMarket.equals(CatalogScope.ALL) && !parentMarket.equals(market)) {
            throw ApiException.unprocessable("A category of " + market + " needs a parent of " + market + " or ALL");
        }
        if (self != null && tx.get("""
                WITH RECURSIVE up AS (
                    SELECT id, parent_id FROM categories WHERE id = ?
                    UNION
                    SELECT c.id, c.parent_id FROM categories c JOIN up ON c.id = up.parent_id)
                SELECT count(*) AS n FROM up WHERE id = ?""", parentId, self)
                .map(r -> Rows.number(r, "n")).orElse(0L) > 0) {
            throw ApiException.unprocessable("Field 'parent_id' would make the category its own ancestor");
        }
    }

    private static Optional<CategoryJson> find(Tx tx, long id) {
        return tx.get(SELECT + " WHERE id = ?", id).map(ManagerCategoryService::toJson);
    }

    private static CategoryJson toJson(DbRow r) {
        return new CategoryJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.number(r, "parent_id"),
                Rows.text(r, "name"), Rows.integer(r, "position"), Rows.bool(r, "is_active"),
                Rows.time(r, "created_at"));
    }
}
