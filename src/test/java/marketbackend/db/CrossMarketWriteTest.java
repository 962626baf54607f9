package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.as;
import static marketbackend.db.Rls.assertAllowed;
import static marketbackend.db.Rls.assertDenied;
import static marketbackend.db.Rls.assertFails;
import static marketbackend.db.Rls.assertHidden;
import static marketbackend.db.Rls.assertTouches;
import static marketbackend.db.Rls.customer;
import static marketbackend.db.Rls.manager;
import static marketbackend.db.Rls.other;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * No request writes a row into, or moves a row to, a market other than its own: WITH CHECK and
 * the market triggers refuse it. ALL catalog rows are written only by a manager of every active market.
 */
class CrossMarketWriteTest {
    private static final Map<String, String> DELIVERY = Map.of("KG", "kyrgyzpost", "US", "usps");

    private final World w = World.get();

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aCustomersAddressTakesTheUsersMarketNotTheCallers(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> assertEquals(List.of(market, DELIVERY.get(market)), Rls.row(c,
                "INSERT INTO addresses (user_id, market, line1, city, region, postal_code) VALUES (?, ?, 'l', 'c', 'r', '1') "
                        + "RETURNING market, delivery_service", s.customerA, other(market))));
    }

    @ParameterizedTest(name = "customer of {0} in a request for the other market")
    @ValueSource(strings = {"KG", "US"})
    void aCustomerInTheOtherMarketReachesNoneOfTheirOwnRows(String market) throws SQLException {
        var s = w.side(market);
        as(customer(other(market), s.customerA), c -> {
            Map<String, Long> own = Map.of("users", s.customerA, "addresses", s.addressA, "payment_methods", s.paymentA,
                    "notifications", s.notificationA, "carts", s.cartA, "cart_items", s.cartItemA, "wishlists", s.wishlistA,
                    "wishlist_items", s.wishlistItemA, "orders", s.orderA, "order_items", s.orderItemA);
            for (var e : own.entrySet()) {
                assertHidden(c, e.getKey(), e.getValue());
            }
            // the user is invisible in this market, so the market trigger refuses every insert
            assertDenied(c, "INSERT INTO addresses (user_id, line1, city, region, postal_code) VALUES (?, 'l', 'c', 'r', '1')", s.customerA);
            assertDenied(c, "INSERT INTO payment_methods (user_id, token, brand, last4, exp_month, exp_year) VALUES (?, 't', 'visa', '1111', 1, 2031)", s.customerA);
            assertDenied(c, "INSERT INTO notifications (user_id, title, body) VALUES (?, 't', 'b')", s.customerA);
            assertDenied(c, "INSERT INTO orders (user_id, total_amount) VALUES (?, 1.00)", s.customerA);
            assertDenied(c, "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (?, ?, 1)", s.cartA, w.productAll);
            assertTouches(0, c, "UPDATE addresses SET line1 = 'x' WHERE id = ?", s.addressA);
            assertTouches(0, c, "UPDATE users SET name = 'x' WHERE id = ?", s.customerA);
            assertTouches(0, c, "DELETE FROM payment_methods WHERE id = ?", s.paymentA);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aCustomerCannotPlaceAnOrderForAnotherUser(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertDenied(c, "INSERT INTO orders (user_id, total_amount) VALUES (?, 1.00)", s.customerB);
            assertDenied(c, "INSERT INTO orders (user_id, market, total_amount) VALUES (?, ?, 1.00)", w.side(other(market)).customerA, other(market));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aManagerCannotInsertAProductIntoAnotherMarket(String market) throws SQLException {
        var s = w.side(market);
        String insert = "INSERT INTO products (market, name, category_id) VALUES (?, ?, ?)";
        as(manager(market, s.manager), c -> {
            assertDenied(c, insert, other(market), Fixtures.unique("x"), null);
            // nor hang a product of this market under the other market's category (the trigger cannot see it)
            assertFails("23503", c, insert, market, Fixtures.unique("x"), w.side(other(market)).categoryActive);
            assertAllowed(c, insert, market, Fixtures.unique("x"), w.categoryAll);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aManagerCannotMoveAProductToAnotherMarket(String market) throws SQLException {
        var s = w.side(market);
        as(manager(market, s.manager), c -> {
            assertDenied(c, "UPDATE products SET market = ? WHERE id = ?", other(market), s.productInactive);
            assertDenied(c, "UPDATE products SET market = 'ALL' WHERE id = ?", s.productInactive);
        });
        // managing the other market too does not help: writes are bound to the request's market
        as(manager(market, w.managerBoth), c ->
                assertDenied(c, "UPDATE products SET market = ? WHERE id = ?", other(market), s.productInactive));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aManagerCannotHangACategoryUnderAnotherMarketsCategory(String market) throws SQLException {
        var s = w.side(market);
        long foreignParent = w.side(other(market)).categoryActive;
        String insert = "INSERT INTO categories (market, name, parent_id) VALUES (?, ?, ?)";
        as(manager(market, s.manager), c -> {
            assertFails("23503", c, insert, market, Fixtures.unique("child"), foreignParent);
            assertFails("23503", c, "UPDATE categories SET parent_id = ? WHERE id = ?", foreignParent, s.categoryInactive);
            assertAllowed(c, insert, market, Fixtures.unique("child"), s.categoryActive);
            assertAllowed(c, insert, market, Fixtures.unique("child"), w.categoryAll);
        });
        // an ALL category cannot hang under one market's category either
        as(manager(market, w.managerBoth), c -> assertFails("23503", c, insert, "ALL", Fixtures.unique("child"), s.categoryActive));
    }

    @ParameterizedTest(name = "manager of KG and US in a {0} request")
    @ValueSource(strings = {"KG", "US"})
    void aManagerOfBothMarketsWritesOnlyInTheRequestsMarket(String market) throws SQLException {
        var t = w.side(other(market));
        as(manager(market, w.managerBoth), c -> {
            assertDenied(c, "INSERT INTO categories (market, name) VALUES (?, ?)", other(market), Fixtures.unique("x"));
            assertDenied(c, "INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, 1.00)",
                    Fixtures.product("ALL", Fixtures.unique("x"), null, 1, Map.of()), other(market));
            assertDenied(c, "INSERT INTO notifications (user_id, title, body) VALUES (?, 't', 'b')", t.customerA);
            assertDenied(c, "INSERT INTO audit_log (market, manager_id, action, entity) VALUES (?, ?, 'a', 'e')", other(market), w.managerBoth);
            assertTouches(0, c, "UPDATE products SET name = 'x' WHERE id = ?", t.productActive);
            assertTouches(0, c, "UPDATE orders SET status = 'cancelled' WHERE id = ?", t.orderA);
            assertHidden(c, "orders", t.orderA);
            assertHidden(c, "users", t.customerA);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void allCatalogRowsAreWrittenOnlyByAManagerOfEveryActiveMarket(String market) throws SQLException {
        for (CatalogPoliciesTest.Catalog t : CatalogPoliciesTest.Catalog.values()) {
            long freshAll = t.fresh("ALL");
            as(manager(market, w.side(market).manager), c -> {
                assertDenied(c, t.insert, "ALL", Fixtures.unique("all"));
                assertTouches(0, c, t.rename, "renamed", t.all(w));
                assertTouches(0, c, "DELETE FROM " + t.table + " WHERE id = ?", freshAll);
            });
            as(manager(market, w.managerBoth), c -> {
                assertEquals("ALL", Sql.strings(c, t.insert, "ALL", Fixtures.unique("all")).getFirst());
                assertTouches(1, c, t.rename, "renamed", t.all(w));
                assertTouches(1, c, "DELETE FROM " + t.table + " WHERE id = ?", freshAll);
            });
        }
    }

    /** The catalog trigger stops even the owner, whom no policy filters: a market that does not exist sells nothing. */
    @Test
    void noCatalogRowIsWrittenInAMarketThatDoesNotExist() throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            c.setAutoCommit(false);
            try {
                for (String market : List.of("KG", "US", "ALL")) {
                    assertAllowed(c, "INSERT INTO banners (market, title, image_url) VALUES (?, 't', 'https://img.test/x.jpg')", market);
                }
                assertFails("23503", c, "INSERT INTO banners (market, title, image_url) VALUES ('ZZ', 't', 'https://img.test/x.jpg')");
                assertFails("23503", c, "INSERT INTO categories (market, name) VALUES ('ZZ', 'x')");
                assertFails("23503", c, "INSERT INTO products (market, name) VALUES ('ZZ', 'x')");
                assertFails("23503", c, "UPDATE products SET market = 'ZZ' WHERE id = ?", w.side("KG").productActive);
            } finally {
                c.rollback();
            }
        }
    }

    /** "Every market" is data, open or closed: add a third market and the KG+US manager loses ALL writes. */
    @Test
    void aNewMarketTakesAllCatalogWritesAwayFromAManagerWhoDoesNotManageIt() throws SQLException {
        for (boolean active : new boolean[] {true, false}) {
            try (Connection c = TestDatabase.get().superuser()) {
                c.setAutoCommit(false);
                Sql.update(c, "INSERT INTO markets (code, name, currency, timezone, phone_region, calling_code, locale, "
                        + "sms_provider, payment_gateway, delivery_service, is_active) "
                        + "VALUES ('ZZ', 'Test', 'EUR', 'Europe/Berlin', 'DE', '49', 'de-DE', 'x', 'x', 'x', ?)", active);
                Rls.begin(c, manager("KG", w.managerBoth));
                try {
                    String insert = "INSERT INTO categories (market, name) VALUES ('ALL', ?)";
                    // a closed market sells ALL rows too once it (re)opens: closed or open, it counts
                    assertDenied(c, insert, Fixtures.unique("all"));
                    assertTouches(0, c, "UPDATE categories SET name = 'x' WHERE id = ?", w.categoryAll);
                    Sql.update(c, "SET LOCAL ROLE NONE");
                    Sql.update(c, "INSERT INTO store_manager_markets (user_id, market) VALUES (?, 'ZZ')", w.managerBoth);
                    Rls.begin(c, manager("KG", w.managerBoth));
                    assertAllowed(c, insert, Fixtures.unique("all"));
                    assertTouches(1, c, "UPDATE categories SET name = 'x' WHERE id = ?", w.categoryAll);
                } finally {
                    c.rollback();
                }
            }
        }
    }
}
