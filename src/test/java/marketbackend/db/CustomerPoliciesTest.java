package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.as;
import static marketbackend.db.Rls.assertDenied;
import static marketbackend.db.Rls.assertHidden;
import static marketbackend.db.Rls.assertSees;
import static marketbackend.db.Rls.assertTouches;
import static marketbackend.db.Rls.customer;
import static marketbackend.db.Rls.guest;
import static marketbackend.db.Rls.manager;
import static marketbackend.db.Rls.other;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * users, verification_codes, sms_outbox, addresses, payment_methods, notifications: every role and
 * granted command, allowed and denied, in KG and US. Customer rows are bound to the market AND the
 * user: customer A never sees or changes customer B's rows of the same market.
 */
class CustomerPoliciesTest {
    private final World w = World.get();

    /** Tables a customer fully owns (select, insert, update, delete) and managers read. */
    enum Owned {
        ADDRESSES("addresses",
                "INSERT INTO addresses (user_id, line1, city, region, postal_code) VALUES (?, 'New St', 'C', 'R', '1') RETURNING market",
                "UPDATE addresses SET line1 = 'Changed' WHERE id = ?", s -> s.addressA, s -> s.addressB),
        PAYMENT_METHODS("payment_methods",
                "INSERT INTO payment_methods (user_id, token, brand, last4, exp_month, exp_year) VALUES (?, 'tok', 'visa', '1111', 1, 2031) RETURNING market",
                "UPDATE payment_methods SET exp_year = 2032 WHERE id = ?", s -> s.paymentA, s -> s.paymentB);

        final String table;
        final String insert;
        final String update;
        final ToLongFunction<World.Side> a;
        final ToLongFunction<World.Side> b;

        Owned(String table, String insert, String update, ToLongFunction<World.Side> a, ToLongFunction<World.Side> b) {
            this.table = table;
            this.insert = insert;
            this.update = update;
            this.a = a;
            this.b = b;
        }
    }

    static Stream<Arguments> ownedAndMarkets() {
        return Stream.of(Owned.values()).flatMap(t -> Stream.of(Arguments.of(t, "KG"), Arguments.of(t, "US")));
    }

    // ------------------------------------------------------------------ users

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void guestFindsOnlyTheUserOfTheirPhoneInTheirMarket(String market) throws SQLException {
        var s = w.side(market);
        as(guest(market, s.phoneA), c -> {
            assertSees(c, "users", s.customerA);
            assertHidden(c, "users", s.customerB);
        });
        as(guest(other(market), s.phoneA), c -> assertHidden(c, "users", s.customerA));
        as(guest(market), c -> assertHidden(c, "users", s.customerA));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void guestSignsUpOnlyWithTheirPhoneInTheirMarket(String market) throws SQLException {
        String phone = freshPhone(market);
        String otherPhone = freshPhone(market);
        String foreignPhone = freshPhone(other(market));
        String insert = "INSERT INTO users (market, phone) VALUES (?, ?) RETURNING market";
        as(guest(market, phone), c -> {
            assertEquals(market, Sql.strings(c, insert, market, phone).getFirst());
            assertDenied(c, insert, market, otherPhone);
        });
        // the market sent by the caller is ignored: it is the phone's
        as(guest(market, phone), c -> assertEquals(market, Sql.strings(c, insert, other(market), phone).getFirst()));
        // a phone of the other market cannot become a user of this market: it lacks this market's calling code
        as(guest(market, foreignPhone), c -> Rls.assertFails("23514", c, insert, market, foreignPhone));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerSeesOnlyThemselves(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertSees(c, "users", s.customerA);
            assertHidden(c, "users", s.customerB);
            assertHidden(c, "users", w.side(other(market)).customerA);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerChangesOnlyTheirOwnName(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertTouches(1, c, "UPDATE users SET name = 'Aida' WHERE id = ?", s.customerA);
            assertTouches(0, c, "UPDATE users SET name = 'Aida' WHERE id = ?", s.customerB);
            assertTouches(0, c, "UPDATE users SET name = 'Aida' WHERE id = ?", w.side(other(market)).customerA);
            assertDenied(c, "UPDATE users SET phone = ? WHERE id = ?", freshPhone(market), s.customerA);
            assertDenied(c, "UPDATE users SET market = ? WHERE id = ?", other(market), s.customerA);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerSeesTheUsersOfTheirMarketOnly(String market) throws SQLException {
        var s = w.side(market);
        as(manager(market, s.manager), c -> {
            assertSees(c, "users", s.customerA);
            assertSees(c, "users", s.customerB);
            assertHidden(c, "users", w.side(other(market)).customerA);
        });
    }

    // ------------------------------------------------------------------ verification_codes

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void guestSeesTheCodesOfTheirPhoneOnly(String market) throws SQLException {
        var s = w.side(market);
        as(guest(market, s.phoneA), c -> {
            assertSees(c, "verification_codes", s.codeA);
            assertHidden(c, "verification_codes", s.codeB);
            assertHidden(c, "verification_codes", w.side(other(market)).codeA);
        });
        as(guest(other(market), s.phoneA), c -> assertHidden(c, "verification_codes", s.codeA));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void guestRequestsCodesForTheirPhoneOnly(String market) throws SQLException {
        var s = w.side(market);
        String insert = "INSERT INTO verification_codes (phone, code_hash, expires_at) VALUES (?, 'h', now() + interval '5 minutes') RETURNING market";
        as(guest(market, s.phoneA), c -> {
            assertEquals(market, Sql.strings(c, insert, s.phoneA).getFirst());
            assertDenied(c, insert, s.phoneB);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void guestUsesUpCodesOfTheirPhoneOnly(String market) throws SQLException {
        var s = w.side(market);
        as(guest(market, s.phoneA), c -> {
            assertTouches(1, c, "UPDATE verification_codes SET attempts = attempts + 1, consumed_at = now() WHERE id = ?", s.codeA);
            assertTouches(0, c, "UPDATE verification_codes SET attempts = attempts + 1 WHERE id = ?", s.codeB);
            assertTouches(0, c, "UPDATE verification_codes SET attempts = attempts + 1 WHERE id = ?", w.side(other(market)).codeA);
            assertDenied(c, "UPDATE verification_codes SET code_hash = 'x' WHERE id = ?", s.codeA);
            assertDenied(c, "UPDATE verification_codes SET expires_at = now() + interval '1 year' WHERE id = ?", s.codeA);
        });
    }

    // ------------------------------------------------------------------ sms_outbox

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void guestQueuesSmsForTheirPhoneInTheirMarketOnly(String market) throws SQLException {
        var s = w.side(market);
        String insert = "INSERT INTO sms_outbox (market, phone, provider, body) VALUES (?, ?, 'test', 'Your code')";
        as(guest(market, s.phoneA), c -> {
            assertTouches(1, c, insert, market, s.phoneA);
            assertDenied(c, insert, market, s.phoneB);
            // nobody but the owner reads the outbox: not even the sender
            assertDenied(c, "SELECT count(*) FROM sms_outbox");
        });
        // this market's phone vouched for in the other market: it lacks that market's calling code
        as(guest(other(market), s.phoneA), c -> Rls.assertFails("23514", c, insert, other(market), s.phoneA));
    }

    // ------------------------------------------------------------------ addresses, payment_methods

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ownedAndMarkets")
    void customerSeesOwnRowsOnly(Owned t, String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertSees(c, t.table, t.a.applyAsLong(s));
            assertHidden(c, t.table, t.b.applyAsLong(s));
            assertHidden(c, t.table, t.a.applyAsLong(w.side(other(market))));
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ownedAndMarkets")
    void customerAddsRowsForThemselvesOnly(Owned t, String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertEquals(market, Sql.strings(c, t.insert, s.customerA).getFirst());
            assertDenied(c, t.insert, s.customerB);
            assertDenied(c, t.insert, w.side(other(market)).customerA);
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ownedAndMarkets")
    void customerChangesOwnRowsOnlyAndCannotHandThemOver(Owned t, String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertTouches(1, c, t.update, t.a.applyAsLong(s));
            assertTouches(0, c, t.update, t.b.applyAsLong(s));
            assertTouches(0, c, t.update, t.a.applyAsLong(w.side(other(market))));
            assertDenied(c, "UPDATE " + t.table + " SET user_id = ? WHERE id = ?", s.customerB, t.a.applyAsLong(s));
            // the market is the user's: a new value is overwritten by the trigger, the row stays put
            assertEquals(market, Sql.strings(c, "UPDATE " + t.table + " SET market = ? WHERE id = ? RETURNING market",
                    other(market), t.a.applyAsLong(s)).getFirst());
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ownedAndMarkets")
    void customerDeletesOwnRowsOnly(Owned t, String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertTouches(1, c, "DELETE FROM " + t.table + " WHERE id = ?", t.a.applyAsLong(s));
            assertTouches(0, c, "DELETE FROM " + t.table + " WHERE id = ?", t.b.applyAsLong(s));
            assertTouches(0, c, "DELETE FROM " + t.table + " WHERE id = ?", t.a.applyAsLong(w.side(other(market))));
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("ownedAndMarkets")
    void managerSeesRowsOfTheirMarketOnly(Owned t, String market) throws SQLException {
        var s = w.side(market);
        as(manager(market, s.manager), c -> {
            assertSees(c, t.table, t.a.applyAsLong(s));
            assertSees(c, t.table, t.b.applyAsLong(s));
            assertHidden(c, t.table, t.a.applyAsLong(w.side(other(market))));
        });
    }

    // ------------------------------------------------------------------ notifications

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerSeesOwnNotificationsOnly(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertSees(c, "notifications", s.notificationA);
            assertHidden(c, "notifications", s.notificationB);
            assertHidden(c, "notifications", w.side(other(market)).notificationA);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerIsNotifiedOfOwnActionsOnly(String market) throws SQLException {
        var s = w.side(market);
        String insert = "INSERT INTO notifications (user_id, title, body) VALUES (?, 'T', 'B') RETURNING market";
        as(customer(market, s.customerA), c -> {
            assertEquals(market, Sql.strings(c, insert, s.customerA).getFirst());
            assertDenied(c, insert, s.customerB);
            assertDenied(c, insert, w.side(other(market)).customerA);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerMarksOwnNotificationsReadOnly(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertTouches(1, c, "UPDATE notifications SET read_at = now() WHERE id = ?", s.notificationA);
            assertTouches(0, c, "UPDATE notifications SET read_at = now() WHERE id = ?", s.notificationB);
            assertTouches(0, c, "UPDATE notifications SET read_at = now() WHERE id = ?", w.side(other(market)).notificationA);
            assertDenied(c, "UPDATE notifications SET title = 'x' WHERE id = ?", s.notificationA);
            assertDenied(c, "DELETE FROM notifications WHERE id = ?", s.notificationA);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerSeesNotificationsOfTheirMarketOnly(String market) throws SQLException {
        var s = w.side(market);
        as(manager(market, s.manager), c -> {
            assertSees(c, "notifications", s.notificationA);
            assertSees(c, "notifications", s.notificationB);
            assertHidden(c, "notifications", w.side(other(market)).notificationA);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerNotifiesCustomersOfTheirMarketOnly(String market) throws SQLException {
        var s = w.side(market);
        String insert = "INSERT INTO notifications (user_id, title, body) VALUES (?, 'Sale', 'Now') RETURNING market";
        as(manager(market, s.manager), c -> {
            assertEquals(market, Sql.strings(c, insert, s.customerB).getFirst());
            assertDenied(c, insert, w.side(other(market)).customerA);
        });
    }

    /** A phone of the market that no user has yet. */
    static String freshPhone(String market) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            while (true) {
                String phone = Fixtures.phone(market);
                if (Sql.count(c, "SELECT count(*) FROM users WHERE phone = ?", phone) == 0) {
                    return phone;
                }
            }
        }
    }
}
