package marketbackend.customer;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.catalog.ProductRepository;
import marketbackend.db.Rows;
import marketbackend.db.Tx;

/**
 * The one home of {@code carts} and {@code cart_items}: the customer's cart and its items, with the current market's prices. Products the customer can
 * no longer see (deactivated, or without a price in this market) stay in the cart as unavailable.
 */
public final class CartRepository {
    private static final String ITEM_COLUMNS = "ci.id, c.market, ci.product_id, ci.quantity, p.stock, "
            + ProductRepository.BUYABLE_COLUMNS;
    private static final String ITEMS_FROM = " FROM cart_items ci JOIN carts c ON c.id = ci.cart_id"
            + ProductRepository.joinBuyable("ci.product_id");

    private CartRepository() {
    }

    /** One line of the cart; price fields are null when the product is unavailable. */
    public record Item(long id, String market, long productId, int quantity, String name, Integer stock,
                       BigDecimal unitPrice, String currency, boolean available) {

        public BigDecimal lineTotal() {
            return unitPrice == null ? null : unitPrice.multiply(BigDecimal.valueOf(quantity));
        }
    }

    /** A line added to the cart: its id, and whether it is new (else its quantity grew). */
    public record Added(long id, boolean created) {
    }

    /** The user's cart id, if the cart exists. */
    public static Optional<Long> find(Tx tx, long userId) {
        return tx.get("SELECT id FROM carts WHERE user_id = ?", userId).map(r -> Rows.number(r, "id"));
    }

    /** The user's cart id; the cart is created on first use (its market is set by the database). */
    public static long ensure(Tx tx, long userId) {
        return find(tx, userId)
                .or(() -> tx.get("INSERT INTO carts (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING RETURNING id",
                        userId).map(r -> Rows.number(r, "id")))
                .or(() -> find(tx, userId))
                .orElseThrow(() -> new IllegalStateException("cart not created"));
    }

    public static List<Item> items(Tx tx, long userId) {
        return tx.query("SELECT " + ITEM_COLUMNS + ITEMS_FROM + " WHERE c.user_id = ? ORDER BY ci.id", userId)
                .stream().map(CartRepository::toItem).toList();
    }

    public static Optional<Item> item(Tx tx, long itemId) {
        return tx.get("SELECT " + ITEM_COLUMNS + ITEMS_FROM + " WHERE ci.id = ?", itemId).map(CartRepository::toItem);
    }

    /** How many of {@code productId} the cart holds already (0 when none). */
    public static int quantity(Tx tx, long cartId, long productId) {
        return tx.get("SELECT quantity FROM cart_items WHERE cart_id = ? AND product_id = ?", cartId, productId)
                .map(r -> Rows.integer(r, "quantity")).orElse(0);
    }

    /** Adds {@code quantity} of the product: a new line, or more of a line the cart has. */
    public static Added add(Tx tx, long cartId, long productId, int quantity) {
        DbRow row = tx.get("""
                INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (?, ?, ?)
                ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_items.quantity + excluded.quantity
                RETURNING id, (xmax = 0) AS created""", cartId, productId, quantity).orElseThrow();
        return new Added(Rows.number(row, "id"), Rows.bool(row, "created"));
    }

    public static void setQuantity(Tx tx, long itemId, int quantity) {
        tx.dml("UPDATE cart_items SET quantity = ? WHERE id = ?", quantity, itemId);
    }

    /** False when no line was removed (missing, or another customer's). */
    public static boolean remove(Tx tx, long itemId) {
        return tx.dml("DELETE FROM cart_items WHERE id = ?", itemId) > 0;
    }

    public static void clear(Tx tx, long cartId) {
        tx.dml("DELETE FROM cart_items WHERE cart_id = ?", cartId);
    }

    private static Item toItem(DbRow r) {
        return new Item(Rows.number(r, "id"), Rows.text(r, "market"), Rows.number(r, "product_id"), Rows.integer(r, "quantity"),
                Rows.optionalText(r, "name"), Rows.optionalInteger(r, "stock"), Rows.optionalDecimal(r, "price"),
                Rows.optionalText(r, "currency"), Rows.bool(r, "available"));
    }
}
