package marketbackend.order;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.http.Money;

/** Reads of the customer's orders; the policies show a customer their own orders only. */
final class OrderRepository {
    private static final String SUMMARY_COLUMNS = """
            o.id, o.market, o.order_number, o.status, o.total_amount, o.currency, o.order_date,
            (SELECT coalesce(sum(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS item_count""";
    private static final String COLUMNS = """
            id, market, order_number, status, total_amount, currency, order_date, updated_at,
            address_id, payment_method_id, shipping_address::text AS shipping_address""";
    private static final String ITEM_COLUMNS = "id, market, product_id, product_name, quantity, unit_price, line_total";

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

    static Listing<OrderSummaryJson> list() {
        return Listing.of(SUMMARY_COLUMNS, "orders o", OrderRepository::toSummary).orderBy("o.order_date DESC, o.id DESC");
    }

    static Optional<OrderJson> find(Tx tx, long id) {
        return tx.get("SELECT " + COLUMNS + " FROM orders WHERE id = ?", id).map(r -> {
            String currency = Rows.text(r, "currency");
            List<OrderItemJson> items = tx.query("SELECT " + ITEM_COLUMNS + " FROM order_items WHERE order_id = ?"
                    + " ORDER BY id", id).stream().map(i -> toItem(i, currency)).toList();
            return new OrderJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "order_number"),
                    Rows.text(r, "status"), Money.format(Rows.decimal(r, "total_amount")), currency, Rows.time(r, "order_date"),
                    Rows.time(r, "updated_at"), Rows.optionalNumber(r, "address_id"),
                    Rows.optionalNumber(r, "payment_method_id"), Rows.optionalJson(r, "shipping_address"), items);
        });
    }

    private static OrderSummaryJson toSummary(DbRow r) {
        return new OrderSummaryJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "order_number"),
                Rows.text(r, "status"), Money.format(Rows.decimal(r, "total_amount")), Rows.text(r, "currency"),
                Rows.time(r, "order_date"), Rows.number(r, "item_count"));
    }

    private static OrderItemJson toItem(DbRow r, String currency) {
        return new OrderItemJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.optionalNumber(r, "product_id"),
                Rows.text(r, "product_name"), Rows.integer(r, "quantity"), Money.format(Rows.decimal(r, "unit_price")),
                Money.format(Rows.decimal(r, "line_total")), currency);
    }

}
