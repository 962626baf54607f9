package marketbackend.order;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;

import marketbackend.customer.CartRepository;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.http.Json;
import marketbackend.http.Money;
import marketbackend.market.Market;

/**
 * Turns the cart into an order, in the caller's one transaction: any refusal rolls everything
 * back (stock, order, items, cart, notification). Market, currency and order number come from
 * the database; prices from the market's price list, as the policies show it.
 */
final class Checkout {
    /** Namespace of the advisory locks that serialize one customer's checkouts. */
    private static final int CUSTOMER_LOCK = 0x0c4e;
    /** SQLSTATE of app.take_stock() when a product has too little stock left. */
    private static final String OUT_OF_STOCK = "MB001";

    record Placed(OrderRepository.OrderJson order, boolean created) {
    }

    Placed place(Tx tx, long userId, Market market, String idempotencyKey, OrderInput in) {
        // one checkout per customer at a time: a retry with the same key waits, then finds the order
        tx.get("SELECT pg_advisory_xact_lock(?, ?) IS NULL AS locked", CUSTOMER_LOCK, Long.hashCode(userId));
        Optional<DbRow> earlier = tx.get("SELECT id, request_fingerprint FROM orders WHERE idempotency_key = ?",
                idempotencyKey);
        if (earlier.isPresent()) {
            if (!in.fingerprint().equals(Rows.optionalText(earlier.get(), "request_fingerprint"))) {
                throw ApiException.unprocessable("This Idempotency-Key was already used for a different request");
            }
            return new Placed(OrderRepository.find(tx, Rows.number(earlier.get(), "id")).orElseThrow(), false);
        }

        DbRow address = tx.get("SELECT line1, line2, city, region, postal_code, delivery_service FROM addresses"
                + " WHERE id = ?", in.addressId()).orElseThrow(() -> ApiException.unprocessable(
                "Field 'address_id' does not name one of your addresses"));
        DbRow card = tx.get("SELECT exp_month, exp_year FROM payment_methods WHERE id = ?", in.paymentMethodId())
                .orElseThrow(() -> ApiException.unprocessable(
                        "Field 'payment_method_id' does not name one of your payment methods"));
        if (YearMonth.of(Rows.integer(card, "exp_year"), Rows.integer(card, "exp_month"))
                .isBefore(YearMonth.now(market.zone()))) {
            throw ApiException.unprocessable("The payment method has expired");
        }

        long cartId = CartRepository.find(tx, userId).orElseThrow(Checkout::emptyCart);
        List<CartRepository.Item> items = CartRepository.items(tx, userId);
        if (items.isEmpty()) {
            throw emptyCart();
        }
        for (CartRepository.Item item : items) {
            if (!item.available() || !market.currency().equals(item.currency())) {
                throw ApiException.conflict("A product in your cart is no longer available (cart item "
                        + item.id() + "); remove it and check out again");
            }
        }
        BigDecimal total = items.stream().map(CartRepository.Item::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        DbRow order = tx.get("""
                INSERT INTO orders (user_id, total_amount, address_id, payment_method_id, shipping_address,
                                    idempotency_key, request_fingerprint)
                VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?)
                RETURNING id, order_number, currency""",
                userId, total, in.addressId(), in.paymentMethodId(), snapshot(address), idempotencyKey,
                in.fingerprint()).orElseThrow();
        long orderId = Rows.number(order, "id");
        // each item takes its stock (trigger app.take_stock), in product order, so that parallel
        // checkouts lock rows in one order (no deadlock)
        for (CartRepository.Item item : items.stream().sorted(Comparator.comparingLong(CartRepository.Item::productId)).toList()) {
            try {
                tx.dml("""
                        INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price, line_total)
                        VALUES (?, ?, ?, ?, ?, ?)""",
                        orderId, item.productId(), item.name(), item.quantity(), item.unitPrice(), item.lineTotal());
            } catch (DbClientException e) {
                if (OUT_OF_STOCK.equals(sqlState(e))) {
                    throw ApiException.conflict("Not enough stock for '" + item.name() + "'");
                }
                throw e;
            }
        }
        CartRepository.clear(tx, cartId);
        OrderTexts.Text text = OrderTexts.placed(market, Rows.text(order, "order_number"), Money.format(total),
                Rows.text(order, "currency"));
        tx.dml("INSERT INTO notifications (user_id, title, body) VALUES (?, ?, ?)", userId, text.title(), text.body());
        return new Placed(OrderRepository.find(tx, orderId).orElseThrow(), true);
    }

    /** The address as it was at checkout: the order keeps it even if the address changes later. */
    private static String snapshot(DbRow a) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String column : List.of("line1", "line2", "city", "region", "postal_code", "delivery_service")) {
            m.put(column, Rows.optionalText(a, column));
        }
        try {
            return Json.MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sqlState(DbClientException e) {
        return e.getCause() instanceof java.sql.SQLException sql ? sql.getSQLState() : null;
    }

    private static ApiException emptyCart() {
        return ApiException.conflict("Your cart is empty");
    }
}
