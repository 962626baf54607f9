package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.customer;
import static marketbackend.db.Rls.guest;
import static marketbackend.db.Rls.manager;
import static marketbackend.db.Rls.other;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the database itself allows in a closed market (db-policies/R__05_markets.sql), for each
 * market closed in turn while the other stays open. The market is closed inside one superuser
 * transaction that then takes the request's role and context and is rolled back: the shared
 * database never sees a closed market.
 */
class ClosedMarketPoliciesTest {
    /** SQLSTATE of app.require_open_market(): the server answers 409. */
    private static final String CLOSED = "MC001";
    private static final String NEW_ADDRESS = "INSERT INTO addresses (user_id, line1, city, region, postal_code)"
            + " VALUES (?, 'l1', 'c', 'r', '720001')";
    private static final String NEW_CARD = "INSERT INTO payment_methods (user_id, token, brand, last4, exp_month, exp_year)"
            + " VALUES (?, 'tok_closed', 'visa', '4242', 12, 2099)";
    private static final String NEW_ORDER = "INSERT INTO orders (user_id, total_amount, address_id, payment_method_id)"
            + " VALUES (?, 1.00, ?, ?)";

    private final World w = World.get();

    @FunctionalInterface
    interface Work {
        void run(Connection c) throws SQLException;
    }

    /** {@code work} as {@code ctx}, with {@code closed} closed for this transaction only. */
    private static void closedAs(String closed, Rls.Ctx ctx, Work work) throws SQLException {
        try (Connection c = TestDatabase.get().superuser()) {
            c.setAutoCommit(false);
            try {
                Sql.update(c, "UPDATE markets SET is_active = false WHERE code = ?", closed);
                Sql.update(c, "SET LOCAL ROLE market_app");
                Rls.begin(c, ctx);
                work.run(c);
            } finally {
                c.rollback();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customersOfAClosedMarketBuyNothingButStillReadTheirOwn(String market) throws SQLException {
        var s = w.side(market);
        closedAs(market, customer(market, s.customerA), c -> {
            Rls.assertFails(CLOSED, c, NEW_ADDRESS, s.customerA);
            Rls.assertFails(CLOSED, c, NEW_CARD, s.customerA);
            Rls.assertFails(CLOSED, c, NEW_ORDER, s.customerA, s.addressA, s.paymentA);
            Rls.assertFails(CLOSED, c, "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (?, ?, 1)",
                    s.cartA, w.productAll);
            Rls.assertFails(CLOSED, c, "UPDATE cart_items SET quantity = 3 WHERE id = ?", s.cartItemA);
            Rls.assertFails(CLOSED, c, "UPDATE addresses SET line1 = 'x' WHERE id = ?", s.addressA);
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM orders WHERE id = ?", s.orderA));
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM notifications WHERE id = ?", s.notificationA));
            assertEquals(1, Sql.update(c, "DELETE FROM cart_items WHERE id = ?", s.cartItemA));
        });
        // the other market is open: the same writes go through
        var o = w.side(other(market));
        closedAs(market, customer(other(market), o.customerA), c -> {
            assertEquals(1, Sql.update(c, NEW_ADDRESS, o.customerA));
            assertEquals(1, Sql.update(c, NEW_CARD, o.customerA));
            assertEquals(1, Sql.update(c, NEW_ORDER, o.customerA, o.addressA, o.paymentA));
            assertEquals(1, Sql.update(c, "UPDATE cart_items SET quantity = 3 WHERE id = ?", o.cartItemA));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aClosedMarketSignsUpNoOneButItsCustomersStillGetCodes(String market) throws SQLException {
        String phone = World.freshPhone(market);
        // no code for a new phone (the same answer as for a customer), and no sign-up with one made by hand
        closedAs(market, guest(market, phone), c -> assertEquals(List.of(""), Sql.strings(c,
                "SELECT coalesce(code_market, '') FROM app.issue_login_code('h', NULL, 600, 0, 1000)")));
        try (Connection owner = TestDatabase.get().owner()) {
            Sql.update(owner, "INSERT INTO verification_codes (phone, code_hash, expires_at) "
                    + "VALUES (?, 'h', now() + interval '5 minutes')", phone);
        }
        closedAs(market, guest(market, phone), c ->
                Rls.assertFails("23514", c, "SELECT * FROM app.redeem_login_code('h', 5, 0)"));
        String existing = w.side(market).phoneA;
        closedAs(market, guest(market, existing), c -> assertEquals(List.of(market), Sql.strings(c,
                "SELECT code_market FROM app.issue_login_code('h', NULL, 600, 0, 1000)")));
        String open = World.freshPhone(other(market));
        closedAs(market, guest(other(market), open), c -> {
            assertEquals(List.of(other(market)), Sql.strings(c,
                    "SELECT code_market FROM app.issue_login_code('h', NULL, 600, 0, 1000)"));
            assertEquals(List.of("ok " + other(market)), Sql.strings(c,
                    "SELECT outcome || ' ' || market FROM app.redeem_login_code('h', 5, 0)"));
        });
    }

    /** Closing a market widens no one's rights: ALL rows still need a manager of every market. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void closingAMarketGivesNoOneTheAllRows(String market) throws SQLException {
        var open = w.side(other(market));
        String insert = "INSERT INTO products (market, name, stock) VALUES ('ALL', 'closed-market probe', 1)";
        closedAs(market, manager(other(market), open.manager), c -> {
            assertEquals("false", Sql.strings(c, "SELECT app.manages_all_markets()::text").getFirst());
            Rls.assertFails(Rls.DENIED, c, insert);
        });
        closedAs(market, manager(other(market), w.managerBoth), c -> assertEquals(1, Sql.update(c, insert)));
        // and its managers still read its orders
        var s = w.side(market);
        closedAs(market, manager(market, s.manager), c ->
                assertEquals(1, Sql.count(c, "SELECT count(*) FROM orders WHERE id = ?", s.orderA)));
    }
}
