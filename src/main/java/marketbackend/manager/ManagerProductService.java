package marketbackend.manager;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
import marketbackend.http.Money;
import marketbackend.http.Page;
import marketbackend.http.Query;
import marketbackend.market.MarketRegistry;

/**
 * {@code /api/manager/products}: list, read, create, change ({@code PATCH}) and deactivate
 * ({@code DELETE} sets {@code is_active = false}) the products of the managed market and of ALL.
 * The price is always the current market's: creating a product sets it, and for an ALL product
 * each market's manager sets their own with {@code PATCH {price}} under their X-Market.
 */
public final class ManagerProductService implements HttpService {
    // product_prices shows the current market's prices only: the join yields this market's price,
    // or none yet for an ALL product that this market has not priced
    private static final String SELECT = """
            SELECT p.id, p.market, p.category_id, p.name, p.description, p.stock, p.in_stock, p.is_active,
                   p.created_at, p.updated_at, pp.price
            FROM products p LEFT JOIN product_prices pp ON pp.product_id = p.id""";

    private final Deactivation<ProductJson> deactivation = new Deactivation<>("product", "Product",
            "UPDATE products SET is_active = false, updated_at = now() WHERE id = ?", this::find,
            ProductJson::market, ProductJson::isActive);
    private final Db db;
    private final MarketRegistry markets;

    public ManagerProductService(Db db, MarketRegistry markets) {
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

    /** @param price in {@code currency}, the current market's; null while this market has no price */
    record ProductJson(long id, String market, Long categoryId, String name, String description, String price,
                       String currency, int stock, boolean inStock, boolean isActive, OffsetDateTime createdAt,
                       OffsetDateTime updatedAt) {
    }

    record CreateBody(String name, String market, String price, Long categoryId, String description, Integer stock) {
    }

    record PatchBody(String name, String price, Long categoryId, String description, Integer stock, Boolean isActive) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        Query.Paging paging = Query.paging(req);
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder();
        Query.optionalId(req, "category_id").ifPresent(c -> {
            where.append(" AND p.category_id = ?");
            params.add(c);
        });
        Query.optionalText(req, "q", 100).ifPresent(q -> {
            where.append(" AND p.name ILIKE ? ESCAPE '\\'");
            params.add("%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        });
        Query.optionalText(req, "active", 5).ifPresent(a -> {
            if (!a.equals("true") && !a.equals("false")) {
                throw ApiException.badRequest("Query parameter 'active' must be true or false");
            }
            where.append(" AND p.is_active = ?");
            params.add(Boolean.parseBoolean(a));
        });
        String filter = where.isEmpty() ? "" : " WHERE" + where.substring(4);
        Page<ProductJson> page = db.inMarket(ctx, tx -> {
            List<Object> pageParams = new ArrayList<>(params);
            pageParams.add(paging.size());
            pageParams.add(paging.offset());
            List<ProductJson> items = tx.query(SELECT + filter + " ORDER BY p.id DESC LIMIT ? OFFSET ?",
                    pageParams.toArray()).stream().map(r -> toJson(r, ctx)).toList();
            long total = tx.get("SELECT count(*) AS n FROM products p" + filter, params.toArray())
                    .map(r -> Rows.number(r, "n")).orElse(0L);
            return Page.of(items, paging.page(), paging.size(), total);
        });
        Json.send(res, page);
    }

    private void one(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        long id = Query.pathId(req, "id", "Product");
        Json.send(res, db.inMarket(ctx, tx -> find(tx, ctx, id)).orElseThrow(() -> ApiException.notFound("Product")));
    }

    private void create(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        CreateBody b = Json.read(req, CreateBody.class);
        String name = Validate.text("name", b.name(), 300);
        BigDecimal price = Validate.money("price", b.price());
        String description = Validate.optionalText("description", b.description(), 10_000);
        int stock = b.stock() == null ? 0 : Validate.range("stock", b.stock(), 0, 1_000_000_000);
        Long categoryId = Validate.id("category_id", b.categoryId());
        ProductJson created = db.inMarket(ctx, tx -> {
            String market = CatalogScope.forCreate(tx, ctx, markets, b.market());
            if (categoryId != null) {
                requireCategory(tx, categoryId, market);
            }
            long id = tx.get("""
                    INSERT INTO products (market, category_id, name, description, stock)
                    VALUES (?, CAST(? AS bigint), ?, CAST(? AS text), ?) RETURNING id""",
                    market, categoryId, name, description, stock).map(r -> Rows.number(r, "id")).orElseThrow();
            tx.dml("INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, ?)", id, ctx.market(), price);
            ProductJson after = find(tx, ctx, id).orElseThrow();
            Audit.record(tx, "create", "product", id, null, Audit.json(after));
            return after;
        });
        res.header(HeaderNames.LOCATION, "/api/manager/products/" + created.id());
        Json.send(res, Status.CREATED_201.code(), created);
    }

    private void change(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        long id = Query.pathId(req, "id", "Product");
        Bodies.Partial<PatchBody> body = Bodies.partial(req, PatchBody.class);
        PatchBody b = body.value();
        Updates update = new Updates("products");
        if (body.has("name")) {
            update.set("name", "text", Validate.text("name", b.name(), 300));
        }
        if (body.has("description")) {
            update.set("description", "text", Validate.optionalText("description", b.description(), 10_000));
        }
        if (body.has("category_id")) {
            update.set("category_id", "bigint", Validate.id("category_id", b.categoryId()));
        }
        if (body.has("stock")) {
            update.set("stock", "integer", Validate.range("stock", b.stock(), 0, 1_000_000_000));
        }
        if (body.has("is_active")) {
            if (b.isActive() == null) {
                throw ApiException.unprocessable("Field 'is_active' must be true or false");
            }
            update.set("is_active", "boolean", b.isActive());
        }
        BigDecimal price = body.has("price") ? Validate.money("price", b.price()) : null;
        ProductJson changed = db.inMarket(ctx, tx -> {
            ProductJson before = find(tx, ctx, id).orElseThrow(() -> ApiException.notFound("Product"));
            if (!update.isEmpty()) {
                // the product row itself: only its market's manager (ALL: a manager of every market)
                CatalogScope.requireWritable(tx, ctx, before.market());
                if (b.categoryId() != null) {
                    requireCategory(tx, b.categoryId(), before.market());
                }
                update.setSql("updated_at", "now()");
                if (update.run(tx, id) == 0) {
                    throw ApiException.notFound("Product");
                }
            }
            if (price != null) {
                // the price of the current market: any manager of a market where the product sells
                tx.dml("""
                        INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, ?)
                        ON CONFLICT (product_id, market) DO UPDATE SET price = excluded.price""",
                        id, ctx.market(), price);
            }
            ProductJson after = find(tx, ctx, id).orElseThrow(() -> ApiException.notFound("Product"));
            Audit.record(tx, "update", "product", id, Audit.json(before), Audit.json(after));
            return after;
        });
        Json.send(res, changed);
    }

    private void deactivate(ServerRequest req, ServerResponse res) {
        deactivation.handle(db, req, res);
    }

    /** The category must be visible to this manager and sold where the product is (same market or ALL). */
    private static void requireCategory(Tx tx, long categoryId, String productMarket) {
        String market = tx.get("SELECT market FROM categories WHERE id = ?", categoryId)
                .map(r -> Rows.text(r, "market"))
                .orElseThrow(() -> ApiException.unprocessable("Field 'category_id' names no category of this market"));
        if (!market.equals(CatalogScope.ALL) && !market.equals(productMarket)) {
            throw ApiException.unprocessable("A product of " + productMarket + " needs a category of "
                    + productMarket + " or ALL");
        }
    }

    private Optional<ProductJson> find(Tx tx, RequestContext ctx, long id) {
        return tx.get(SELECT + " WHERE p.id = ?", id).map(r -> toJson(r, ctx));
    }

    private ProductJson toJson(DbRow r, RequestContext ctx) {
        return new ProductJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.number(r, "category_id"),
                Rows.text(r, "name"), Rows.text(r, "description"), Money.format(Rows.decimal(r, "price")),
                markets.require(ctx.market()).currency(), Rows.integer(r, "stock"), Rows.bool(r, "in_stock"),
                Rows.bool(r, "is_active"), Rows.time(r, "created_at"), Rows.time(r, "updated_at"));
    }
}
