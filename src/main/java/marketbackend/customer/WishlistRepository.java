package marketbackend.customer;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.catalog.ProductRepository;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.value.Money;

/**
 * The one home of {@code wishlists} and {@code wishlist_items}, with the current market's prices.
 * A product the customer can no longer buy stays on the list as unavailable.
 */
final class WishlistRepository {
    private static final String ITEM_COLUMNS = "wi.id, w.market, wi.product_id, wi.created_at,"
            + " coalesce(p.in_stock, false) AS in_stock, " + ProductRepository.BUYABLE_COLUMNS;
    private static final String ITEMS_FROM = " FROM wishlist_items wi JOIN wishlists w ON w.id = wi.wishlist_id"
            + ProductRepository.joinBuyable("wi.product_id");

    private WishlistRepository() {
    }

    public record WishlistItemJson(long id, String market, long productId, String name, String price, String currency,
                                   boolean available, boolean inStock, OffsetDateTime createdAt) {
    }

    /** An item on the list: its id, and whether this call put it there. */
    record Added(long id, boolean created) {
    }

    /** The user's wishlist id; created on first use (market set by the database). */
    static long ensure(Tx tx, long userId) {
        String find = "SELECT id FROM wishlists WHERE user_id = ?";
        return tx.get(find, userId)
                .or(() -> tx.get("INSERT INTO wishlists (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING RETURNING id",
                        userId))
                .or(() -> tx.get(find, userId))
                .map(r -> Rows.number(r, "id"))
                .orElseThrow(() -> new IllegalStateException("wishlist not created"));
    }

    static List<WishlistItemJson> items(Tx tx, long userId) {
        return tx.query("SELECT " + ITEM_COLUMNS + ITEMS_FROM + " WHERE w.user_id = ? ORDER BY wi.id", userId)
                .stream().map(WishlistRepository::toJson).toList();
    }

    static Optional<WishlistItemJson> item(Tx tx, long id) {
        return tx.get("SELECT " + ITEM_COLUMNS + ITEMS_FROM + " WHERE wi.id = ?", id).map(WishlistRepository::toJson);
    }

    /** Puts the product on the list once: a second add finds the item it already has. */
    static Added add(Tx tx, long wishlistId, long productId) {
        Optional<Long> inserted = tx.get("""
                INSERT INTO wishlist_items (wishlist_id, product_id) VALUES (?, ?)
                ON CONFLICT (wishlist_id, product_id) DO NOTHING RETURNING id""", wishlistId, productId)
                .map(r -> Rows.number(r, "id"));
        long id = inserted.or(() -> tx.get("SELECT id FROM wishlist_items WHERE wishlist_id = ? AND product_id = ?",
                wishlistId, productId).map(r -> Rows.number(r, "id"))).orElseThrow();
        return new Added(id, inserted.isPresent());
    }

    /** False when no item was removed (missing, or another customer's). */
    static boolean remove(Tx tx, long id) {
        return tx.dml("DELETE FROM wishlist_items WHERE id = ?", id) > 0;
    }

    private static WishlistItemJson toJson(DbRow r) {
        return new WishlistItemJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.number(r, "product_id"),
                Rows.optionalText(r, "name"), Money.format(Rows.optionalDecimal(r, "price")), Rows.optionalText(r, "currency"),
                Rows.bool(r, "available"), Rows.bool(r, "in_stock"), Rows.time(r, "created_at"));
    }
}
