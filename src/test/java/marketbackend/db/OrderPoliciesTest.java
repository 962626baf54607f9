package marketbackend.db;

import java.sql.SQLException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Sql;

import static marketbackend.db.Rls.as;
import static marketbackend.db.Rls.assertDenied;
import static marketbackend.db.Rls.assertFails;
import static marketbackend.db.Rls.assertHidden;
import static marketbackend.db.Rls.assertSees;
import static marketbackend.db.Rls.assertTouches;
import static marketbackend.db.Rls.customer;
import static marketbackend.db.Rls.manager;
import static marketbackend.db.Rls.other;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** order_counters, orders, order_items: every role and granted command, allowed and denied, in KG and US. */
class OrderPoliciesTest {
    private static final String PLACE = "INSERT INTO orders (user_id, total_amount, address_id, payment_method_id) "
            + "VALUES (?, 10.00, ?, ?) RETURNING market";
    private static final String ADD_ITEMS = "INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price, line_total) "
            + "VALUES (?, ?, 'Item', %d, 10.00, 10.00) RETURNING market";
    private static final String ADD_ITEM = ADD_ITEMS.formatted(1);

    private final World w = World.get();

    // ------------------------------------------------------------------ order_counters

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerReadsTheCounterOfTheirMarketOnly(String market) throws SQLException {
        as(customer(market, w.side(market).customerA), c -> {
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM order_counters WHERE market = ?", market));
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM order_counters WHERE market = ?", other(market)));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerAdvancesTheCounterOfTheirMarketOnlyOneStepAtATime(String market) throws SQLException {
        as(customer(market, w.side(market).customerA), c -> {
            assertTouches(1, c, "UPDATE order_counters SET last_number = last_number + 1 WHERE market = ?", market);
            assertTouches(0, c, "UPDATE order_counters SET last_number = last_number + 1 WHERE market = ?", other(market));
            // resetting or jumping the counter would break every later checkout of the market
            assertDenied(c, "UPDATE order_counters SET last_number = 0 WHERE market = ?", market);
            assertDenied(c, "UPDATE order_counters SET last_number = 9223372036854775807 WHERE market = ?", market);
        });
    }

    // ------------------------------------------------------------------ orders

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerSeesOwnOrdersOnly(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertSees(c, "orders", s.orderA);
            assertHidden(c, "orders", s.orderB);
            assertHidden(c, "orders", w.side(other(market)).orderA);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerPlacesOrdersForThemselvesOnly(String market) throws SQLException {
        var s = w.side(market);
        var t = w.side(other(market));
        as(customer(market, s.customerA), c -> {
            assertEquals(market, Sql.strings(c, PLACE, s.customerA, s.addressA, s.paymentA).getFirst());
            assertDenied(c, PLACE, s.customerB, s.addressB, s.paymentB);
            assertDenied(c, PLACE, t.customerA, t.addressA, t.paymentA);
            // an order may only point at the buyer's own address and payment method
            assertFails("23503", c, PLACE, s.customerA, s.addressB, s.paymentA);
            assertFails("23503", c, PLACE, s.customerA, s.addressA, s.paymentB);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerSeesOrdersOfTheirMarketOnly(String market) throws SQLException {
        var s = w.side(market);
        as(manager(market, s.manager), c -> {
            assertSees(c, "orders", s.orderA);
            assertSees(c, "orders", s.orderB);
            assertHidden(c, "orders", w.side(other(market)).orderA);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerMovesOrdersOfTheirMarketOnly(String market) throws SQLException {
        var s = w.side(market);
        as(manager(market, s.manager), c -> {
            assertTouches(1, c, "UPDATE orders SET status = 'confirmed', updated_at = now() WHERE id = ?", s.orderA);
            assertTouches(0, c, "UPDATE orders SET status = 'confirmed' WHERE id = ?", w.side(other(market)).orderA);
            assertDenied(c, "UPDATE orders SET total_amount = 0 WHERE id = ?", s.orderA);
            assertDenied(c, "UPDATE orders SET market = ? WHERE id = ?", other(market), s.orderA);
        });
    }

    // ------------------------------------------------------------------ order_items

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerSeesItemsOfOwnOrdersOnly(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertSees(c, "order_items", s.orderItemA);
            assertHidden(c, "order_items", s.orderItemB);
            assertHidden(c, "order_items", w.side(other(market)).orderItemA);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerAddsItemsToTheOrderTheyArePlacingOnly(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            long placing = Sql.insertId(c, PLACE.replace("RETURNING market", "RETURNING id"), s.customerA, s.addressA, s.paymentA);
            assertEquals(market, Sql.strings(c, ADD_ITEM, placing, s.productActive).getFirst());
            // an order of an earlier transaction, even the customer's own, takes no more items (and stock)
            assertDenied(c, ADD_ITEM, s.orderA, s.productActive);
            assertDenied(c, ADD_ITEM, s.orderB, s.productActive);
            assertDenied(c, ADD_ITEM, w.side(other(market)).orderA, s.productActive);
        });
    }

    /** Stock moves only through an item of the order being placed: down by its quantity, never below zero. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void checkoutTakesStockOnlyThroughTheItemsOfTheOrderBeingPlaced(String market) throws SQLException {
        var s = w.side(market);
        var t = w.side(other(market));
        as(customer(market, s.customerA), c -> {
            assertDenied(c, "UPDATE products SET stock = 0 WHERE id = ?", s.productActive);
            assertDenied(c, "UPDATE products SET stock = 0 WHERE id = ?", w.productAll);
            long placing = Sql.insertId(c, PLACE.replace("RETURNING market", "RETURNING id"), s.customerA, s.addressA, s.paymentA);
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

    private static long stock(java.sql.Connection c, long product) throws SQLException {
        return Sql.count(c, "SELECT stock FROM products WHERE id = ?", product);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerSeesOrderItemsOfTheirMarketOnly(String market) throws SQLException {
        var s = w.side(market);
        as(manager(market, s.manager), c -> {
            assertSees(c, "order_items", s.orderItemA);
            assertSees(c, "order_items", s.orderItemB);
            assertHidden(c, "order_items", w.side(other(market)).orderItemA);
        });
    }
}
