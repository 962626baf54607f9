package marketbackend.customer;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbRow;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.catalog.ProductRepository;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Fields;
import marketbackend.http.Json;
import marketbackend.http.Money;
import marketbackend.http.Query;

/**
 * {@code GET /api/wishlist}, {@code POST /api/wishlist/items {product_id}},
 * {@code DELETE /api/wishlist/items/{id}}. Adding a product twice keeps one item (200 the second time).
 */
public final class WishlistService implements HttpService {
    private static final String ITEM_COLUMNS = "wi.id, w.market, wi.product_id, wi.created_at,"
            + " coalesce(p.in_stock, false) AS in_stock, " + ProductRepository.BUYABLE_COLUMNS;
    private static final String ITEMS_FROM = " FROM wishlist_items wi JOIN wishlists w ON w.id = wi.wishlist_id"
            + ProductRepository.joinBuyable("wi.product_id");

    private final Db db;

    public WishlistService(Db db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::wishlist)
                .post("/items", this::add)
                .delete("/items/{id}", this::remove);
    }

    public record AddItem(Long productId) {
        public AddItem {
            Fields.requiredId(productId, "product_id");
        }
    }

    public record WishlistItemJson(long id, String market, long productId, String name, String price, String currency,
                                   boolean available, boolean inStock, OffsetDateTime createdAt) {
    }

    public record WishlistJson(long id, String market, List<WishlistItemJson> items) {
    }

    private void wishlist(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        Json.send(res, db.inMarket(ctx, tx -> {
            long id = ensure(tx, ctx.userId());
            List<WishlistItemJson> items = tx.query("SELECT " + ITEM_COLUMNS + ITEMS_FROM
                    + " WHERE w.user_id = ? ORDER BY wi.id", ctx.userId()).stream().map(WishlistService::toJson).toList();
            return new WishlistJson(id, ctx.market(), items);
        }));
    }

    private void add(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        AddItem in = Json.read(req, AddItem.class);
        record Added(WishlistItemJson item, boolean created) {
        }
        Added added = db.inMarket(ctx, tx -> {
            ProductRepository.Buyable product = ProductRepository.buyable(tx, in.productId())
                    .orElseThrow(() -> ApiException.notFound("Product"));
            long wishlistId = ensure(tx, ctx.userId());
            Optional<Long> inserted = tx.get("""
                    INSERT INTO wishlist_items (wishlist_id, product_id) VALUES (?, ?)
                    ON CONFLICT (wishlist_id, product_id) DO NOTHING RETURNING id""", wishlistId, product.id())
                    .map(r -> Rows.number(r, "id"));
            long id = inserted.or(() -> tx.get("SELECT id FROM wishlist_items WHERE wishlist_id = ? AND product_id = ?",
                    wishlistId, product.id()).map(r -> Rows.number(r, "id"))).orElseThrow();
            WishlistItemJson item = tx.get("SELECT " + ITEM_COLUMNS + ITEMS_FROM + " WHERE wi.id = ?", id)
                    .map(WishlistService::toJson).orElseThrow();
            return new Added(item, inserted.isPresent());
        });
        Json.send(res, added.created() ? 201 : 200, added.item());
    }

    private void remove(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Wishlist item");
        if (db.inMarket(ctx, tx -> tx.dml("DELETE FROM wishlist_items WHERE id = ?", id)) == 0) {
            throw ApiException.notFound("Wishlist item");
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    /** The user's wishlist id; created on first use (market set by the database). */
    private static long ensure(Tx tx, long userId) {
        String find = "SELECT id FROM wishlists WHERE user_id = ?";
        return tx.get(find, userId)
                .or(() -> tx.get("INSERT INTO wishlists (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING RETURNING id",
                        userId))
                .or(() -> tx.get(find, userId))
                .map(r -> Rows.number(r, "id"))
                .orElseThrow(() -> new IllegalStateException("wishlist not created"));
    }

    private static WishlistItemJson toJson(DbRow r) {
        return new WishlistItemJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.number(r, "product_id"),
                Rows.optionalText(r, "name"), Money.format(Rows.optionalDecimal(r, "price")), Rows.optionalText(r, "currency"),
                Rows.bool(r, "available"), Rows.bool(r, "in_stock"), Rows.time(r, "created_at"));
    }
}
