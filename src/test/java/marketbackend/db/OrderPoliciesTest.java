package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Sql;

import static marketbackend.db.PolicyCase.CUSTOMER_A;
import static marketbackend.db.PolicyCase.DENIED;
import static marketbackend.db.PolicyCase.MANAGER;
import static marketbackend.db.PolicyCase.RETURNS_MARKET;
import static marketbackend.db.PolicyCase.fails;
import static marketbackend.db.PolicyCase.hide;
import static marketbackend.db.PolicyCase.rows;
import static marketbackend.db.PolicyCase.see;
import static marketbackend.db.Rls.as;
import static marketbackend.db.Rls.assertDenied;
import static marketbackend.db.Rls.assertFails;
import static marketbackend.db.Rls.customer;
import static marketbackend.db.Rls.other;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** order_counters, orders, order_items: every role and granted command, allowed and denied, in KG and US. */
class OrderPoliciesTest extends PolicyTable {
    private static final String PLACE = "INSERT INTO orders (user_id, total_amount, address_id, payment_method_id) "
            + "VALUES (?, 10.00, ?, ?) RETURNING market";
    private static final String ADD_ITEMS = "INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price, line_total) "
            + "VALUES (?, ?, 'Item', %d, 10.00, 10.00) RETURNING market";
    private static final String ADD_ITEM = ADD_ITEMS.formatted(1);
    private static final String COUNT = "SELECT market FROM order_counters WHERE market = ?";
    private static final String STEP = "UPDATE order_counters SET last_number = last_number + 1 WHERE market = ?";
    private static final String CONFIRM = "UPDATE orders SET status = 'confirmed', updated_at = now() WHERE id = ?";

    static final List<PolicyCase> CASES = List.of(
            // ---------------------------------------------------------------- order_counters
            new PolicyCase(CUSTOMER_A, "own market's", COUNT, h -> List.of(h.market), rows(1)),
            new PolicyCase(CUSTOMER_A, "the other market's", COUNT, h -> List.of(h.other()), rows(0)),
            new PolicyCase(CUSTOMER_A, "own market's, one step", STEP, h -> List.of(h.market), rows(1)),
            new PolicyCase(CUSTOMER_A, "the other market's, one step", STEP, h -> List.of(h.other()), rows(0)),
            // resetting or jumping the counter would break every later checkout of the market
            new PolicyCase(CUSTOMER_A, "reset own market's", "UPDATE order_counters SET last_number = 0 WHERE market = ?",
                    h -> List.of(h.market), DENIED),
            new PolicyCase(CUSTOMER_A, "jump own market's to the end",
                    "UPDATE order_counters SET last_number = 9223372036854775807 WHERE market = ?", h -> List.of(h.market), DENIED),

            // ---------------------------------------------------------------- orders
            see(CUSTOMER_A, "orders", "own", h -> List.of(h.mine.orderA)),
            hide(CUSTOMER_A, "orders", "B's", h -> List.of(h.mine.orderB)),
            hide(CUSTOMER_A, "orders", "the other market's A's", h -> List.of(h.theirs.orderA)),
            new PolicyCase(CUSTOMER_A, "for themselves", PLACE, h -> List.of(h.mine.customerA, h.mine.addressA, h.mine.paymentA),
                    RETURNS_MARKET),
            new PolicyCase(CUSTOMER_A, "for B", PLACE, h -> List.of(h.mine.customerB, h.mine.addressB, h.mine.paymentB), DENIED),
            new PolicyCase(CUSTOMER_A, "for the other market's A", PLACE,
                    h -> List.of(h.theirs.customerA, h.theirs.addressA, h.theirs.paymentA), DENIED),
            // an order may only point at the buyer's own address and payment method
            new PolicyCase(CUSTOMER_A, "to B's address", PLACE, h -> List.of(h.mine.customerA, h.mine.addressB, h.mine.paymentA),
                    fails("23503")),
            new PolicyCase(CUSTOMER_A, "with B's card", PLACE, h -> List.of(h.mine.customerA, h.mine.addressA, h.mine.paymentB),
                    fails("23503")),
            see(MANAGER, "orders", "A's", h -> List.of(h.mine.orderA)),
            see(MANAGER, "orders", "B's", h -> List.of(h.mine.orderB)),
            hide(MANAGER, "orders", "the other market's A's", h -> List.of(h.theirs.orderA)),
            new PolicyCase(MANAGER, "confirm A's", CONFIRM, h -> List.of(h.mine.orderA), rows(1)),
            new PolicyCase(MANAGER, "confirm the other market's A's", CONFIRM, h -> List.of(h.theirs.orderA), rows(0)),
            new PolicyCase(MANAGER, "A's total", "UPDATE orders SET total_amount = 0 WHERE id = ?", h -> List.of(h.mine.orderA),
                    DENIED),
            new PolicyCase(MANAGER, "move A's to the other market", "UPDATE orders SET market = ? WHERE id = ?",
                    h -> List.of(h.other(), h.mine.orderA), DENIED),

            // ---------------------------------------------------------------- order_items
            see(CUSTOMER_A, "order_items", "of own order", h -> List.of(h.mine.orderItemA)),
            hide(CUSTOMER_A, "order_items", "of B's order", h -> List.of(h.mine.orderItemB)),
            hide(CUSTOMER_A, "order_items", "of the other market's A's order", h -> List.of(h.theirs.orderItemA)),
            new PolicyCase(CUSTOMER_A, "to the order being placed", ADD_ITEM, h -> List.of(placing(h), h.mine.productActive),
                    RETURNS_MARKET),
            // an order of an earlier transaction, even the customer's own, takes no more items (and stock)
            new PolicyCase(CUSTOMER_A, "to own earlier order", ADD_ITEM, h -> List.of(h.mine.orderA, h.mine.productActive), DENIED),
            new PolicyCase(CUSTOMER_A, "to B's order", ADD_ITEM, h -> List.of(h.mine.orderB, h.mine.productActive), DENIED),
            new PolicyCase(CUSTOMER_A, "to the other market's A's order", ADD_ITEM,
                    h -> List.of(h.theirs.orderA, h.mine.productActive), DENIED),
            see(MANAGER, "order_items", "of A's order", h -> List.of(h.mine.orderItemA)),
            see(MANAGER, "order_items", "of B's order", h -> List.of(h.mine.orderItemB)),
            hide(MANAGER, "order_items", "of the other market's A's order", h -> List.of(h.theirs.orderItemA)));

    /** An order customer A places in the case's own transaction. */
    private static long placing(PolicyCase.Here h) throws SQLException {
        return place(h.c, h.mine);
    }

    /** Places an order of customer A of {@code s} in the transaction of {@code c}. */
    private static long place(Connection c, World.Side s) throws SQLException {
        return Sql.insertId(c, PLACE.replace("RETURNING market", "RETURNING id"), s.customerA, s.addressA, s.paymentA);
    }

    @Override
    List<PolicyCase> cases() {
        return CASES;
    }

    @Override
    List<String> tables() {
        return List.of("order_counters", "orders", "order_items");
    }

    /** Stock moves only through an item of the order being placed: down by its quantity, never below zero. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void checkoutTakesStockOnlyThroughTheItemsOfTheOrderBeingPlaced(String market) throws SQLException {
        World w = World.get();
        var s = w.side(market);
        var t = w.side(other(market));
        as(customer(market, s.customerA), c -> {
            assertDenied(c, "UPDATE products SET stock = 0 WHERE id = ?", s.productActive);
            assertDenied(c, "UPDATE products SET stock = 0 WHERE id = ?", w.productAll);
            long placing = place(c, s);
            long before = stock(c, s.productActive);
            Sql.strings(c, ADD_ITEMS.formatted(2), placing, s.productActive);
            assertEquals(before - 2, stock(c, s.productActive));
            long allBefore = stock(c, w.productAll);
            Sql.strings(c, ADD_ITEM, placing, w.productAll);
            assertEquals(allBefore - 1, stock(c, w.productAll));
            // more than is left, an inactive product, another market's product: refused, nothing taken
            assertFails("MB001", c, ADD_ITEMS.formatted(1000), placing, s.productActive);
            assertFails("MB001", c, ADD_ITEM, placing, s.productInactive);
            assertFails("MB001", c, ADD_ITEM, placing, t.productActive);
            assertEquals(before - 2, stock(c, s.productActive));
        });
    }

    private static long stock(Connection c, long product) throws SQLException {
        return Sql.count(c, "SELECT stock FROM products WHERE id = ?", product);
    }
}
