package marketbackend.manager;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.catalog.CatalogScope;
import marketbackend.catalog.CategoryRepository;
import marketbackend.catalog.ProductRepository.ManagedProductJson;
import marketbackend.catalog.ProductRepository;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.TotalsCache;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Query;
import marketbackend.market.MarketRegistry;
import marketbackend.value.Paging;

/**
 * {@code /api/manager/products}: list, read, create, change ({@code PATCH}) and deactivate
 * ({@code DELETE} sets {@code is_active = false}) the products of the managed market and of ALL.
 * The price is always the current market's: creating a product sets it, and for an ALL product
 * each market's manager sets their own with {@code PATCH {price}} under their X-Market.
 */
public final class ManagerProductService implements HttpService {
    private final ManagerCatalogSteps<ManagedProductJson> rows = new ManagerCatalogSteps<>("product", "Product",
            "/api/manager/products", this::find, ProductRepository::update, ManagedProductJson::market,
            ManagedProductJson::isActive);
    private final Db db;
    private final MarketRegistry markets;
    private final TotalsCache totals;

    /** @param totals where the list's totals are kept a few seconds */
    public ManagerProductService(Db db, MarketRegistry markets, TotalsCache totals) {
        this.db = db;
        this.markets = markets;
        this.totals = totals;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .get("/{id}", (req, res) -> rows.one(db, req, res))
                .patch("/{id}", this::change)
                .delete("/{id}", (req, res) -> rows.deactivate(db, req, res));
    }

    record CreateBody(String name, String market, String price, Long categoryId, String description, Integer stock) {
    }

    record PatchBody(String name, String price, Long categoryId, String description, Integer stock, Boolean isActive) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        Paging paging = Query.paging(req);
        Long categoryId = Query.optionalId(req, "category_id").orElse(null);
        String nameContains = Query.optionalText(req, "q", 100).orElse(null);
        Boolean active = Query.optionalText(req, "active", 5).map(a -> switch (a) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("Query parameter 'active' must be true or false");
        }).orElse(null);
        var list = ProductRepository.managed(currency(ctx), categoryId, nameContains, active);
        Json.send(res, db.inMarket(ctx, tx -> list.page(tx, paging, totals)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        CreateBody b = Json.read(req, CreateBody.class);
        String name = Validate.text("name", b.name(), 300);
        BigDecimal price = Validate.money("price", b.price());
        String description = Validate.optionalMultiLine("description", b.description(), 10_000);
        int stock = b.stock() == null ? 0 : Validate.range("stock", b.stock(), 0, 1_000_000_000);
        Long categoryId = Validate.id("category_id", b.categoryId());
        ManagedProductJson created = db.inMarket(ctx, tx -> {
            String market = CatalogScope.forCreate(tx, ctx, markets, b.market());
            if (categoryId != null) {
                requireCategory(tx, categoryId, market);
            }
            long id = ProductRepository.create(tx, market, categoryId, name, description, stock);
            ProductRepository.addPrice(tx, id, ctx.market(), price);
            return rows.audited(tx, ctx, "create", id, null);
        });
        rows.sendCreated(res, created.id(), created);
    }

    private void change(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        long id = rows.id(req);
        Bodies.Partial<PatchBody> body = Bodies.partial(req, PatchBody.class);
        PatchBody b = body.value();
        Map<String, Object> changes = new LinkedHashMap<>();
        if (body.has("name")) {
            changes.put("name", Validate.text("name", b.name(), 300));
        }
        if (body.has("description")) {
            changes.put("description", Validate.optionalMultiLine("description", b.description(), 10_000));
        }
        if (body.has("category_id")) {
            changes.put("category_id", Validate.id("category_id", b.categoryId()));
        }
        if (body.has("stock")) {
            changes.put("stock", Validate.range("stock", b.stock(), 0, 1_000_000_000));
        }
        if (body.has("is_active")) {
            changes.put("is_active", Validate.bool("is_active", b.isActive()));
        }
        BigDecimal price = body.has("price") ? Validate.money("price", b.price()) : null;
        ManagedProductJson changed = db.inMarket(ctx, tx -> {
            ManagedProductJson before = rows.existing(tx, ctx, id);
            if (!changes.isEmpty()) {
                // the product row itself: only its market's manager (ALL: a manager of every market)
                CatalogScope.requireWritable(tx, ctx, before.market());
                if (b.categoryId() != null) {
                    requireCategory(tx, b.categoryId(), before.market());
                }
                rows.requireWritten(ProductRepository.update(tx, id, changes));
            }
            if (price != null) {
                // the price of the current market: any manager of a market where the product sells
                ProductRepository.setPrice(tx, id, ctx.market(), price);
            }
            return rows.audited(tx, ctx, "update", id, before);
        });
        Json.send(res, changed);
    }

    /** The category must be visible to this manager and sold where the product is (same market or ALL). */
    private static void requireCategory(Tx tx, long categoryId, String productMarket) {
        String market = CategoryRepository.market(tx, categoryId)
                .orElseThrow(() -> ApiException.unprocessable("Field 'category_id' names no category of this market"));
        if (!CatalogScope.sellsIn(market, productMarket)) {
            throw ApiException.unprocessable("A product of " + productMarket + " needs a category of "
                    + productMarket + " or ALL");
        }
    }

    private Optional<ManagedProductJson> find(Tx tx, RequestContext ctx, long id) {
        return ProductRepository.findManaged(tx, currency(ctx), id);
    }

    private String currency(RequestContext ctx) {
        return markets.require(ctx.market()).currency();
    }
}
