package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.as;
import static marketbackend.db.Rls.assertDenied;
import static marketbackend.db.Rls.assertFails;
import static marketbackend.db.Rls.assertTouches;
import static marketbackend.db.Rls.customer;
import static marketbackend.db.Rls.guest;
import static marketbackend.db.Rls.manager;
import static marketbackend.db.Rls.other;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fail closed: a request without a market (or a customer without a user, or a manager in a market
 * they do not manage) sees no row of any table, ALL catalog rows included, and writes nothing.
 * The same statements succeed with a proper context in the *PoliciesTest classes.
 *
 * <p>No exception, not even for a manager's own rows of store_managers, store_manager_markets and
 * manager_settings: the server reads those before it knows the market through the SECURITY DEFINER
 * helper app.manager_access(), which returns the caller's own record only.
 */
class FailClosedTest {
    private static final Set<String> MANAGER_IDENTITY = Set.of("store_managers", "store_manager_markets", "manager_settings");

    private final World w = World.get();

    // ------------------------------------------------------------------ no market

    @ParameterizedTest(name = "{0}, user of {1}")
    @CsvSource({"market_guest, KG", "market_guest, US", "market_customer, KG", "market_customer, US",
                "market_manager, KG", "market_manager, US"})
    void withoutAMarketEveryTableIsEmpty(String role, String market) throws SQLException {
        var s = w.side(market);
        Rls.Ctx ctx = switch (role) {
            case Rls.GUEST -> guest(null, s.phoneA);
            case Rls.CUSTOMER -> customer(null, s.customerA);
            default -> manager(null, w.managerBoth);
        };
        as(ctx, c -> assertSeesNothing(c, role, ctx.userId()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void withoutAMarketAGuestWritesNothing(String market) throws SQLException {
        var s = w.side(market);
        String phone = World.freshPhone(market);
        as(guest(null, phone), c -> {
            assertDenied(c, "INSERT INTO users (market, phone) VALUES (?, ?)", market, phone);
            assertDenied(c, "SELECT * FROM app.issue_login_code('h', NULL, 600, 0, 1000)");
            assertDenied(c, "INSERT INTO sms_outbox (market, phone, provider, body) VALUES (?, ?, 'p', 'b')", market, phone);
        });
        as(guest(null, s.phoneA), c -> assertDenied(c, "SELECT * FROM app.redeem_login_code('h', 5, 0)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void withoutAMarketACustomerWritesNothing(String market) throws SQLException {
        var s = w.side(market);
        as(customer(null, s.customerA), c -> assertCustomerWritesNothing(c, s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void withoutAMarketAManagerWritesNothing(String market) throws SQLException {
        long me = managerWithSettings(market, "KG", "US");
        as(manager(null, me), c -> assertManagerWritesNothing(c, me, null, market));
    }

    // ------------------------------------------------------------------ customer without a user

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aCustomerWithoutAUserSeesNothing(String market) throws SQLException {
        as(customer(market, null), c -> assertSeesNothing(c, Rls.CUSTOMER, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aCustomerWithoutAUserWritesNothing(String market) throws SQLException {
        as(customer(market, null), c -> assertCustomerWritesNothing(c, w.side(market)));
    }

    // ------------------------------------------------------------------ manager in a market they do not manage

    /** DESIGN: market_manager, app.market=US and a KG-only manager: every table returns nothing and accepts no write. */
    @ParameterizedTest(name = "{0}-only manager in the other market")
    @ValueSource(strings = {"KG", "US"})
    void aManagerInAMarketTheyDoNotManageSeesNothing(String market) throws SQLException {
        long me = w.side(market).manager;
        as(manager(other(market), me), c -> assertSeesNothing(c, Rls.MANAGER, me));
    }

    @ParameterizedTest(name = "{0}-only manager in the other market")
    @ValueSource(strings = {"KG", "US"})
    void aManagerInAMarketTheyDoNotManageWritesNothing(String market) throws SQLException {
        long me = managerWithSettings(market, market);
        String foreign = other(market);
        as(manager(foreign, me), c -> {
            assertManagerWritesNothing(c, me, foreign, foreign);
            assertManagerWritesNothing(c, me, foreign, market);
        });
    }

    /** The manager role alone opens nothing: the user must manage the market (a table lookup). */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aUserWhoManagesNothingSeesAndWritesNothingAsAManager(String market) throws SQLException {
        long notAManager = w.side(market).customerA;
        as(manager(market, notAManager), c -> {
            assertSeesNothing(c, Rls.MANAGER, notAManager);
            for (String table : MANAGER_IDENTITY) {
                assertEquals(0, Sql.count(c, "SELECT count(*) FROM " + table), table);
            }
            assertManagerWritesNothing(c, notAManager, market, market);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aRevokedMarketIsClosedFromTheNextTransactionOn(String market) throws SQLException {
        var s = w.side(market);
        long me = Fixtures.manager(market, "manager", market);
        as(manager(market, me), c -> {
            Rls.assertSees(c, "orders", s.orderA);
            assertTouches(1, c, "UPDATE products SET name = name WHERE id = ?", s.productActive);
        });
        try (Connection c = TestDatabase.get().owner()) {
            assertTouches(1, c, "DELETE FROM store_manager_markets WHERE user_id = ? AND market = ?", me, market);
        }
        as(manager(market, me), c -> {
            Rls.assertHidden(c, "orders", s.orderA);
            assertTouches(0, c, "UPDATE products SET name = name WHERE id = ?", s.productActive);
            assertDenied(c, "INSERT INTO categories (market, name) VALUES (?, ?)", market, Fixtures.unique("revoked"));
        });
    }

    // ------------------------------------------------------------------ helpers

    /** Every table: no row at all (a role without SELECT gets 42501), manager identity excepted (own rows only). */
    private static void assertSeesNothing(Connection c, String role, Long me) throws SQLException {
        for (String table : Grants.RLS_TABLES) {
            if (!Grants.allows(table, role, "SELECT")) {
                assertDenied(c, "SELECT count(*) FROM " + table);
            } else {
                assertEquals(0, Sql.count(c, "SELECT count(*) FROM " + table), table + " must show no row");
            }
        }
        assertEquals(0, Sql.count(c, "SELECT count(*) FROM products WHERE market = 'ALL'"), "not even ALL catalog rows");
    }

    private void assertCustomerWritesNothing(Connection c, World.Side s) throws SQLException {
        long a = s.customerA;
        assertDenied(c, "INSERT INTO addresses (user_id, line1, city, region, postal_code) VALUES (?, 'l', 'c', 'r', '1')", a);
        assertDenied(c, "INSERT INTO payment_methods (user_id, token, brand, last4, exp_month, exp_year) VALUES (?, 't', 'visa', '1111', 1, 2031)", a);
        assertDenied(c, "INSERT INTO notifications (user_id, title, body) VALUES (?, 't', 'b')", a);
        assertDenied(c, "INSERT INTO carts (user_id) VALUES (?)", a);
        assertDenied(c, "INSERT INTO wishlists (user_id) VALUES (?)", a);
        assertDenied(c, "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (?, ?, 1)", s.cartA, w.productAll);
        assertDenied(c, "INSERT INTO wishlist_items (wishlist_id, product_id) VALUES (?, ?)", s.wishlistA, w.productAll);
        assertDenied(c, "INSERT INTO orders (user_id, total_amount) VALUES (?, 1.00)", a);
        assertDenied(c, "INSERT INTO order_items (order_id, product_name, quantity, unit_price, line_total) VALUES (?, 'x', 1, 1.00, 1.00)", s.orderA);
        assertTouches(0, c, "UPDATE users SET name = 'x' WHERE id = ?", a);
        assertTouches(0, c, "UPDATE addresses SET line1 = 'x' WHERE id = ?", s.addressA);
        assertTouches(0, c, "UPDATE payment_methods SET exp_year = 2033 WHERE id = ?", s.paymentA);
        assertTouches(0, c, "UPDATE notifications SET read_at = now() WHERE id = ?", s.notificationA);
        assertTouches(0, c, "UPDATE cart_items SET quantity = 5 WHERE id = ?", s.cartItemA);
        assertDenied(c, "UPDATE products SET stock = stock - 1 WHERE id IN (?, ?)", s.productActive, w.productAll);
        assertTouches(0, c, "UPDATE order_counters SET last_number = last_number + 1");
        assertTouches(0, c, "DELETE FROM addresses WHERE id = ?", s.addressA);
        assertTouches(0, c, "DELETE FROM payment_methods WHERE id = ?", s.paymentA);
        assertTouches(0, c, "DELETE FROM cart_items WHERE id = ?", s.cartItemA);
        assertTouches(0, c, "DELETE FROM carts WHERE id = ?", s.cartA);
        assertTouches(0, c, "DELETE FROM wishlist_items WHERE id = ?", s.wishlistItemA);
        assertTouches(0, c, "DELETE FROM wishlists WHERE id = ?", s.wishlistA);
    }

    /**
     * No manager write lands in {@code target}'s rows while the context is {@code ctxMarket} (null = none),
     * and no row of {@code target} can be created.
     */
    private void assertManagerWritesNothing(Connection c, long me, String ctxMarket, String target) throws SQLException {
        var s = w.side(target);
        String name = Fixtures.unique("closed");
        for (String scope : new String[] {target, "ALL"}) {
            assertDenied(c, "INSERT INTO categories (market, name) VALUES (?, ?)", scope, name);
            assertDenied(c, "INSERT INTO products (market, name) VALUES (?, ?)", scope, name);
            assertDenied(c, "INSERT INTO banners (market, title, image_url) VALUES (?, ?, 'https://img.test/x.jpg')", scope, name);
        }
        // the price trigger cannot see the product (products' policy hides it) and refuses first
        assertFails("23503", c, "INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, 1.00)", w.productAll, target);
        assertDenied(c, "INSERT INTO notifications (user_id, title, body) VALUES (?, 't', 'b')", s.customerA);
        assertDenied(c, "INSERT INTO revenue_snapshots (market, date, currency, total_revenue, total_orders, average_order_value) "
                + "SELECT code, ?, currency, 1, 1, 1 FROM markets WHERE code = ?", LocalDate.of(2400, 1, 1), target);
        assertDenied(c, "INSERT INTO audit_log (market, manager_id, action, entity) VALUES (?, ?, 'a', 'e')", target, me);
        assertDenied(c, "INSERT INTO manager_settings (user_id, active_market) VALUES (?, ?)", me, target);
        assertTouches(0, c, "UPDATE manager_settings SET active_market = ?, updated_at = now() WHERE user_id = ?", target, me);
        Map<String, Long> rows = Map.of("categories", s.categoryActive, "products", s.productActive, "banners", s.bannerActive);
        for (var e : rows.entrySet()) {
            String col = e.getKey().equals("banners") ? "title" : "name";
            assertTouches(0, c, "UPDATE " + e.getKey() + " SET " + col + " = 'x' WHERE id = ?", e.getValue());
            assertTouches(0, c, "DELETE FROM " + e.getKey() + " WHERE id = ?", e.getValue());
        }
        assertTouches(0, c, "UPDATE categories SET name = 'x' WHERE id = ?", w.categoryAll);
        assertTouches(0, c, "UPDATE product_prices SET price = 1 WHERE product_id = ?", w.productAll);
        assertTouches(0, c, "DELETE FROM product_prices WHERE product_id = ?", s.productActive);
        assertTouches(0, c, "UPDATE orders SET status = 'cancelled' WHERE id = ?", s.orderA);
        assertTouches(0, c, "UPDATE revenue_snapshots SET total_orders = 0 WHERE id = ?", s.snapshot);
        assertEquals(ctxMarket, Sql.strings(c, "SELECT app.current_market()").getFirst());
    }

    /** A fresh manager of {@code markets}, whose settings row exists (so an UPDATE would find it). */
    private static long managerWithSettings(String userMarket, String... markets) throws SQLException {
        long id = Fixtures.manager(userMarket, "manager", markets);
        try (Connection c = TestDatabase.get().owner()) {
            Sql.update(c, "INSERT INTO manager_settings (user_id, active_market) VALUES (?, ?)", id, markets[0]);
        }
        return id;
    }
}
