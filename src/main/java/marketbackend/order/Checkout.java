package marketbackend.order;

import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbClientException;

import marketbackend.customer.AddressRepository;
import marketbackend.customer.CartRepository;
import marketbackend.customer.NotificationRepository;
import marketbackend.customer.PaymentMethodRepository;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.market.Market;
import marketbackend.value.JsonCodec;

/**
 * Turns the cart into an order, in the caller's one transaction: any refusal rolls everything
 * back (stock, order, items, cart, notification). Market, currency, order number, prices and
 * totals come from the database (app.place_item prices each item from the market's price list).
 */
final class Checkout {
    /** Namespace of the advisory locks that serialize one customer's checkouts. */
    private static final int CUSTOMER_LOCK = 0x0c4e;
    /** SQLSTATE of app.place_item() when a product is not for sale here or has too little stock left. */
    private static final String OUT_OF_STOCK = "MB001";

    record Placed(OrderRepository.OrderJson order, boolean created) {
    }

    Placed place(Tx tx, long userId, Market market, String idempotencyKey, OrderInput in) {
        // one checkout per customer at a time: a retry with the same key waits, then finds the order
        tx.get("SELECT pg_advisory_xact_lock(?, ?) IS NULL AS locked", CUSTOMER_LOCK, Long.hashCode(userId));
        Optional<OrderRepository.Earlier> earlier = OrderRepository.byIdempotencyKey(tx, idempotencyKey);
        if (earlier.isPresent()) {
            if (!in.fingerprint().equals(earlier.get().fingerprint())) {
                throw ApiException.unprocessable("This Idempotency-Key was already used for a different request");
            }
            return new Placed(OrderRepository.find(tx, earlier.get().id()).orElseThrow(), false);
        }

        AddressRepository.AddressJson address = AddressRepository.find(tx, in.addressId()).orElseThrow(() ->
                ApiException.unprocessable("Field 'address_id' does not name one of your addresses"));
        PaymentMethodRepository.PaymentMethodJson card = PaymentMethodRepository.find(tx, in.paymentMethodId())
                .orElseThrow(() -> ApiException.unprocessable(
                        "Field 'payment_method_id' does not name one of your payment methods"));
        if (YearMonth.of(card.expYear(), card.expMonth()).isBefore(YearMonth.now(market.zone()))) {
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
        long orderId = OrderRepository.insert(tx, userId, in, snapshot(address), idempotencyKey);
        // each item is priced and takes its stock (trigger app.place_item), in product order, so that
        // parallel checkouts lock rows in one order (no deadlock)
        for (CartRepository.Item item : items.stream().sorted(Comparator.comparingLong(CartRepository.Item::productId)).toList()) {
            try {
                OrderRepository.addItem(tx, orderId, item);
            } catch (DbClientException e) {
                if (OUT_OF_STOCK.equals(sqlState(e))) {
                    throw ApiException.conflict("Not enough stock for '" + item.name() + "'");
                }
                throw e;
            }
        }
        CartRepository.clear(tx, cartId);
        // the total as the database priced it
        OrderRepository.OrderJson order = OrderRepository.find(tx, orderId).orElseThrow();
        NotificationRepository.send(tx, userId, OrderTexts.placed(market, order.orderNumber(), order.totalAmount(),
                order.currency()));
        return new Placed(order, true);
    }

    /** The address as it was at checkout: the order keeps it even if the address changes later. */
    private record Shipping(String line1, String line2, String city, String region, String postalCode,
                            String deliveryService) {
    }

    private static String snapshot(AddressRepository.AddressJson a) {
        return JsonCodec.text(new Shipping(a.line1(), a.line2(), a.city(), a.region(), a.postalCode(),
                a.deliveryService()));
    }

    private static String sqlState(DbClientException e) {
        return e.getCause() instanceof java.sql.SQLException sql ? sql.getSQLState() : null;
    }

    private static ApiException emptyCart() {
        return ApiException.conflict("Your cart is empty");
    }
}
