package marketbackend.order;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.dbclient.DbRow;

import marketbackend.customer.CartRepository;
import marketbackend.customer.UserRepository;
import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.value.Money;
import marketbackend.value.TimeBound;

/**
 * The one home of {@code orders} and {@code order_items}: the customer's orders, the checkout's
 * inserts, the manager's list and status changes, and the revenue of a period. No
 * {@code WHERE market = ...}: the policies show a customer their own orders, a manager the managed
 * market's, the revenue job five columns of one market's.
 */
public final class OrderRepository {
    private static final String HEAD = "o.id, o.market, o.order_number, o.status, o.total_amount, o.currency, o.order_date";
    private static final String SUMMARY_COLUMNS = HEAD
            + ", (SELECT coalesce(sum(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS item_count";
    private static final String MANAGED_COLUMNS = HEAD + ", o.updated_at, o.user_id, " + UserRepository.JOINED_COLUMNS;
    private static final String MANAGED = "orders o" + UserRepository.joinUser("o.user_id");
    // what a detail adds to a list's row
    private static final String DELIVERY = ", o.address_id, o.payment_method_id,"
            + " CAST(o.shipping_address AS text) AS shipping_address";
    private static final String ITEM_COLUMNS = "id, market, product_id, product_name, quantity, unit_price, line_total";
    private static final String NEWEST_FIRST = "o.order_date DESC, o.id DESC";

    private OrderRepository() {
    }

    public record OrderSummaryJson(long id, String market, String orderNumber, String status, String totalAmount,
                                   String currency, OffsetDateTime orderDate, long itemCount) {
    }

    public record OrderItemJson(long id, String market, Long productId, String productName, int quantity,
                                String unitPrice, String lineTotal, String currency) {
    }

    public record OrderJson(long id, String market, String orderNumber, String status, String totalAmount,
                            String currency, OffsetDateTime orderDate, OffsetDateTime updatedAt, Long addressId,
                            Long paymentMethodId, JsonNode shippingAddress, List<OrderItemJson> items) {
    }

    /** An order in the manager's list; {@code customerPhone} is null when the policies hide the user. */
    public record ManagedOrderJson(long id, String market, String orderNumber, long userId, String customerPhone,
                                   String status, String totalAmount, String currency, OffsetDateTime orderDate,
                                   OffsetDateTime updatedAt) {
    }

    /** One order as the manager reads it. */
    public record ManagedOrder(ManagedOrderJson order, Long addressId, Long paymentMethodId, JsonNode shippingAddress,
                               List<OrderItemJson> items) {
    }

    /** What a status change starts from: read with a row lock, so two changes are serialized. */
    public record Moving(String status, long userId, String orderNumber) {
    }

    /** The order an Idempotency-Key already made, and the fingerprint of the request that made it. */
    record Earlier(long id, String fingerprint) {
    }

    /** Orders and revenue of a period, cancelled orders left out. */
    public record Takings(long orders, BigDecimal revenue) {
    }

    static Listing<OrderSummaryJson> list() {
        return Listing.of(SUMMARY_COLUMNS, "orders o", OrderRepository::toSummary).orderBy(NEWEST_FIRST);
    }

    static Optional<OrderJson> find(Tx tx, long id) {
        return tx.get("SELECT " + HEAD + ", o.updated_at" + DELIVERY + " FROM orders o WHERE o.id = ?", id).map(r -> {
            String currency = Rows.text(r, "currency");
            return new OrderJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "order_number"),
                    Rows.text(r, "status"), Money.format(Rows.decimal(r, "total_amount")), currency, Rows.time(r, "order_date"),
                    Rows.time(r, "updated_at"), Rows.optionalNumber(r, "address_id"),
                    Rows.optionalNumber(r, "payment_method_id"), Rows.optionalJson(r, "shipping_address"),
                    items(tx, id, currency));
        });
    }

    /** The manager's list, newest first; a null filter means "any". */
    public static Listing<ManagedOrderJson> managed(String status, TimeBound from, TimeBound to) {
        Listing<ManagedOrderJson> list = Listing.of(MANAGED_COLUMNS, MANAGED, OrderRepository::toManaged)
                .countFrom("orders o").orderBy(NEWEST_FIRST);
        if (status != null) {
            list.where("o.status = ?", status);
        }
        if (from != null) {
            list.where("o.order_date >= ?", from.at());
        }
        if (to != null) {
            list.where(to.exclusive() ? "o.order_date < ?" : "o.order_date <= ?", to.at());
        }
        return list;
    }

    public static Optional<ManagedOrder> findManaged(Tx tx, long id) {
        return tx.get("SELECT " + MANAGED_COLUMNS + DELIVERY + " FROM " + MANAGED + " WHERE o.id = ?", id).map(r -> {
            ManagedOrderJson o = toManaged(r);
            return new ManagedOrder(o, Rows.optionalNumber(r, "address_id"), Rows.optionalNumber(r, "payment_method_id"),
                    Rows.optionalJson(r, "shipping_address"), items(tx, id, o.currency()));
        });
    }

    public static Optional<Moving> lockForMove(Tx tx, long id) {
        return tx.get("SELECT o.status, o.user_id, o.order_number FROM orders o WHERE o.id = ? FOR UPDATE", id)
                .map(r -> new Moving(Rows.text(r, "status"), Rows.number(r, "user_id"), Rows.text(r, "order_number")));
    }

    public static void setStatus(Tx tx, long id, String status) {
        tx.dml("UPDATE orders SET status = ?, updated_at = now() WHERE id = ?", status, id);
    }

    /** Orders placed in [{@code from}, {@code to}); reads only the columns the revenue job may read. */
    public static Takings takings(Tx tx, OffsetDateTime from, OffsetDateTime to) {
        DbRow row = tx.get("""
                SELECT count(*) AS orders, coalesce(sum(total_amount), 0) AS revenue
                FROM orders
                WHERE status <> 'cancelled' AND order_date >= ? AND order_date < ?""", from, to).orElseThrow();
        return new Takings(Rows.number(row, "orders"), Rows.decimal(row, "revenue"));
    }

    static Optional<Earlier> byIdempotencyKey(Tx tx, String idempotencyKey) {
        return tx.get("SELECT id, request_fingerprint FROM orders WHERE idempotency_key = ?", idempotencyKey)
                .map(r -> new Earlier(Rows.number(r, "id"), Rows.optionalText(r, "request_fingerprint")));
    }

    /**
     * Inserts the order; its market, currency, number and total are set by the database (the total
     * from its items, at the market's prices: app.place_item).
     */
    static long insert(Tx tx, long userId, OrderInput in, String shippingAddress, String idempotencyKey) {
        DbRow r = tx.get("""
                INSERT INTO orders (user_id, address_id, payment_method_id, shipping_address,
                                    idempotency_key, request_fingerprint)
                VALUES (?, ?, ?, CAST(? AS jsonb), ?, ?)
                RETURNING id""",
                userId, in.addressId(), in.paymentMethodId(), shippingAddress, idempotencyKey,
                in.fingerprint()).orElseThrow();
        return Rows.number(r, "id");
    }

    /** One line of the order; its trigger names and prices it and takes the product's stock. */
    static void addItem(Tx tx, long orderId, CartRepository.Item item) {
        tx.dml("INSERT INTO order_items (order_id, product_id, quantity) VALUES (?, ?, ?)",
                orderId, item.productId(), item.quantity());
    }

    private static List<OrderItemJson> items(Tx tx, long orderId, String currency) {
        return tx.query("SELECT " + ITEM_COLUMNS + " FROM order_items WHERE order_id = ? ORDER BY id", orderId)
                .stream().map(i -> new OrderItemJson(Rows.number(i, "id"), Rows.text(i, "market"),
                        Rows.optionalNumber(i, "product_id"), Rows.text(i, "product_name"), Rows.integer(i, "quantity"),
                        Money.format(Rows.decimal(i, "unit_price")), Money.format(Rows.decimal(i, "line_total")),
                        currency))
                .toList();
    }

    private static OrderSummaryJson toSummary(DbRow r) {
        return new OrderSummaryJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "order_number"),
                Rows.text(r, "status"), Money.format(Rows.decimal(r, "total_amount")), Rows.text(r, "currency"),
                Rows.time(r, "order_date"), Rows.number(r, "item_count"));
    }

    private static ManagedOrderJson toManaged(DbRow r) {
        return new ManagedOrderJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "order_number"),
                Rows.number(r, "user_id"), Rows.optionalText(r, "phone"), Rows.text(r, "status"),
                Money.format(Rows.decimal(r, "total_amount")), Rows.text(r, "currency"),
                Rows.time(r, "order_date"), Rows.time(r, "updated_at"));
    }
}
