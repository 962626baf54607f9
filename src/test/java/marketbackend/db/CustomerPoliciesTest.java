package marketbackend.db;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import marketbackend.db.PolicyCase.Who;

import static marketbackend.db.PolicyCase.CUSTOMER_A;
import static marketbackend.db.PolicyCase.DENIED;
import static marketbackend.db.PolicyCase.GUEST;
import static marketbackend.db.PolicyCase.GUEST_A;
import static marketbackend.db.PolicyCase.MANAGER;
import static marketbackend.db.PolicyCase.RETURNS_MARKET;
import static marketbackend.db.PolicyCase.fails;
import static marketbackend.db.PolicyCase.hide;
import static marketbackend.db.PolicyCase.none;
import static marketbackend.db.PolicyCase.rows;
import static marketbackend.db.PolicyCase.see;

/**
 * users, verification_codes, sms_outbox, addresses, payment_methods, notifications: every role and
 * granted command, allowed and denied, in KG and US. Customer rows are bound to the market AND the
 * user: customer A never sees or changes customer B's rows of the same market.
 */
class CustomerPoliciesTest extends PolicyTable {
    /** A phone of the market that is nobody's yet, and the guest logging in with it. */
    private static final Who NEWCOMER = new Who("guest with a new phone", Rls.GUEST,
            h -> Rls.guest(h.market, newPhone(h)));
    /** This market's phone A, vouched for by a login of the other market. */
    private static final Who GUEST_A_ABROAD = new Who("other market's guest with A's phone", Rls.GUEST,
            h -> Rls.guest(h.other(), h.mine.phoneA));
    /** A new phone of the other market, vouched for by a login of this market. */
    private static final Who FOREIGN_NEWCOMER = new Who("guest with a new phone of the other market", Rls.GUEST,
            h -> Rls.guest(h.market, foreignPhone(h)));

    private static final String SIGN_UP = "INSERT INTO users (market, phone) VALUES (?, ?) RETURNING market";
    private static final String NEW_CODE = "INSERT INTO verification_codes (phone, code_hash, expires_at) "
            + "VALUES (?, 'h', now() + interval '5 minutes') RETURNING market";
    private static final String USE_CODE = "UPDATE verification_codes SET attempts = attempts + 1 WHERE id = ?";
    private static final String QUEUE_SMS = "INSERT INTO sms_outbox (market, phone, provider, body) VALUES (?, ?, 'test', 'Your code')";
    private static final String RENAME = "UPDATE users SET name = 'Aida' WHERE id = ?";
    private static final String NOTIFY = "INSERT INTO notifications (user_id, title, body) VALUES (?, 'T', 'B') RETURNING market";
    private static final String READ = "UPDATE notifications SET read_at = now() WHERE id = ?";

    /** Tables a customer fully owns (select, insert, update, delete) and managers read. */
    enum Owned {
        ADDRESSES("addresses",
                "INSERT INTO addresses (user_id, line1, city, region, postal_code) VALUES (?, 'New St', 'C', 'R', '1') RETURNING market",
                "UPDATE addresses SET line1 = 'Changed' WHERE id = ?"),
        PAYMENT_METHODS("payment_methods",
                "INSERT INTO payment_methods (user_id, token, brand, last4, exp_month, exp_year) VALUES (?, 'tok', 'visa', '1111', 1, 2031) RETURNING market",
                "UPDATE payment_methods SET exp_year = 2032 WHERE id = ?");

        final String table;
        final String insert;
        final String update;

        Owned(String table, String insert, String update) {
            this.table = table;
            this.insert = insert;
            this.update = update;
        }

        long a(World.Side s) {
            return this == ADDRESSES ? s.addressA : s.paymentA;
        }

        long b(World.Side s) {
            return this == ADDRESSES ? s.addressB : s.paymentB;
        }
    }

    static final List<PolicyCase> CASES = table();

    private static List<PolicyCase> table() {
        List<PolicyCase> k = new ArrayList<>(List.of(
                // ---------------------------------------------------------------- users
                see(GUEST_A, "users", "the user of the phone", h -> List.of(h.mine.customerA)),
                hide(GUEST_A, "users", "another user of the market", h -> List.of(h.mine.customerB)),
                hide(GUEST_A_ABROAD, "users", "the user of the phone, in its own market", h -> List.of(h.mine.customerA)),
                hide(GUEST, "users", "a user, without a phone", h -> List.of(h.mine.customerA)),
                new PolicyCase(NEWCOMER, "sign up with the phone", SIGN_UP, h -> List.of(h.market, newPhone(h)), RETURNS_MARKET),
                new PolicyCase(NEWCOMER, "sign up with another new phone", SIGN_UP,
                        h -> List.of(h.market, h.fresh("second phone", () -> World.freshPhone(h.market))), DENIED),
                // the market sent by the caller is ignored: it is the phone's
                new PolicyCase(NEWCOMER, "sign up naming the other market", SIGN_UP,
                        h -> List.of(h.other(), newPhone(h)), RETURNS_MARKET),
                // a phone of the other market cannot become a user of this market: it lacks this market's calling code
                new PolicyCase(FOREIGN_NEWCOMER, "sign up with a phone of the other market", SIGN_UP,
                        h -> List.of(h.market, foreignPhone(h)), fails("23514")),
                see(CUSTOMER_A, "users", "themselves", h -> List.of(h.mine.customerA)),
                hide(CUSTOMER_A, "users", "B", h -> List.of(h.mine.customerB)),
                hide(CUSTOMER_A, "users", "the other market's A", h -> List.of(h.theirs.customerA)),
                new PolicyCase(CUSTOMER_A, "own name", RENAME, h -> List.of(h.mine.customerA), rows(1)),
                new PolicyCase(CUSTOMER_A, "B's name", RENAME, h -> List.of(h.mine.customerB), rows(0)),
                new PolicyCase(CUSTOMER_A, "the other market's A's name", RENAME, h -> List.of(h.theirs.customerA), rows(0)),
                new PolicyCase(CUSTOMER_A, "own phone", "UPDATE users SET phone = ? WHERE id = ?",
                        h -> List.of(World.freshPhone(h.market), h.mine.customerA), DENIED),
                new PolicyCase(CUSTOMER_A, "own market", "UPDATE users SET market = ? WHERE id = ?",
                        h -> List.of(h.other(), h.mine.customerA), DENIED),
                see(MANAGER, "users", "A", h -> List.of(h.mine.customerA)),
                see(MANAGER, "users", "B", h -> List.of(h.mine.customerB)),
                hide(MANAGER, "users", "the other market's A", h -> List.of(h.theirs.customerA)),

                // ---------------------------------------------------------------- verification_codes
                see(GUEST_A, "verification_codes", "the phone's code", h -> List.of(h.mine.codeA)),
                hide(GUEST_A, "verification_codes", "B's code", h -> List.of(h.mine.codeB)),
                hide(GUEST_A, "verification_codes", "the other market's A's code", h -> List.of(h.theirs.codeA)),
                hide(GUEST_A_ABROAD, "verification_codes", "the phone's code, in its own market", h -> List.of(h.mine.codeA)),
                new PolicyCase(GUEST_A, "a code for the phone", NEW_CODE, h -> List.of(h.mine.phoneA), RETURNS_MARKET),
                new PolicyCase(GUEST_A, "a code for B's phone", NEW_CODE, h -> List.of(h.mine.phoneB), DENIED),
                new PolicyCase(GUEST_A, "use up the phone's code",
                        "UPDATE verification_codes SET attempts = attempts + 1, consumed_at = now() WHERE id = ?",
                        h -> List.of(h.mine.codeA), rows(1)),
                new PolicyCase(GUEST_A, "B's code", USE_CODE, h -> List.of(h.mine.codeB), rows(0)),
                new PolicyCase(GUEST_A, "the other market's A's code", USE_CODE, h -> List.of(h.theirs.codeA), rows(0)),
                new PolicyCase(GUEST_A, "the code's hash", "UPDATE verification_codes SET code_hash = 'x' WHERE id = ?",
                        h -> List.of(h.mine.codeA), DENIED),
                new PolicyCase(GUEST_A, "the code's expiry",
                        "UPDATE verification_codes SET expires_at = now() + interval '1 year' WHERE id = ?",
                        h -> List.of(h.mine.codeA), DENIED),

                // ---------------------------------------------------------------- sms_outbox
                new PolicyCase(GUEST_A, "an SMS to the phone", QUEUE_SMS, h -> List.of(h.market, h.mine.phoneA), rows(1)),
                new PolicyCase(GUEST_A, "an SMS to B's phone", QUEUE_SMS, h -> List.of(h.market, h.mine.phoneB), DENIED),
                // nobody but the owner reads the outbox: not even the sender
                new PolicyCase(GUEST_A, "the outbox", "SELECT count(*) FROM sms_outbox", none(), DENIED),
                // this market's phone vouched for in the other market: it lacks that market's calling code
                new PolicyCase(GUEST_A_ABROAD, "an SMS to the phone, through the other market", QUEUE_SMS,
                        h -> List.of(h.other(), h.mine.phoneA), fails("23514")),

                // ---------------------------------------------------------------- notifications
                see(CUSTOMER_A, "notifications", "own", h -> List.of(h.mine.notificationA)),
                hide(CUSTOMER_A, "notifications", "B's", h -> List.of(h.mine.notificationB)),
                hide(CUSTOMER_A, "notifications", "the other market's A's", h -> List.of(h.theirs.notificationA)),
                new PolicyCase(CUSTOMER_A, "for themselves", NOTIFY, h -> List.of(h.mine.customerA), RETURNS_MARKET),
                new PolicyCase(CUSTOMER_A, "for B", NOTIFY, h -> List.of(h.mine.customerB), DENIED),
                new PolicyCase(CUSTOMER_A, "for the other market's A", NOTIFY, h -> List.of(h.theirs.customerA), DENIED),
                new PolicyCase(CUSTOMER_A, "read own", READ, h -> List.of(h.mine.notificationA), rows(1)),
                new PolicyCase(CUSTOMER_A, "read B's", READ, h -> List.of(h.mine.notificationB), rows(0)),
                new PolicyCase(CUSTOMER_A, "read the other market's A's", READ, h -> List.of(h.theirs.notificationA), rows(0)),
                new PolicyCase(CUSTOMER_A, "own title", "UPDATE notifications SET title = 'x' WHERE id = ?",
                        h -> List.of(h.mine.notificationA), DENIED),
                new PolicyCase(CUSTOMER_A, "own", "DELETE FROM notifications WHERE id = ?", h -> List.of(h.mine.notificationA), DENIED),
                see(MANAGER, "notifications", "A's", h -> List.of(h.mine.notificationA)),
                see(MANAGER, "notifications", "B's", h -> List.of(h.mine.notificationB)),
                hide(MANAGER, "notifications", "the other market's A's", h -> List.of(h.theirs.notificationA)),
                new PolicyCase(MANAGER, "for B", "INSERT INTO notifications (user_id, title, body) VALUES (?, 'Sale', 'Now') RETURNING market",
                        h -> List.of(h.mine.customerB), RETURNS_MARKET),
                new PolicyCase(MANAGER, "for the other market's A",
                        "INSERT INTO notifications (user_id, title, body) VALUES (?, 'Sale', 'Now') RETURNING market",
                        h -> List.of(h.theirs.customerA), DENIED)));

        // ---------------------------------------------------------------- addresses, payment_methods
        for (Owned t : Owned.values()) {
            String delete = "DELETE FROM " + t.table + " WHERE id = ?";
            k.addAll(List.of(
                    see(CUSTOMER_A, t.table, "own", h -> List.of(t.a(h.mine))),
                    hide(CUSTOMER_A, t.table, "B's", h -> List.of(t.b(h.mine))),
                    hide(CUSTOMER_A, t.table, "the other market's A's", h -> List.of(t.a(h.theirs))),
                    new PolicyCase(CUSTOMER_A, "for themselves", t.insert, h -> List.of(h.mine.customerA), RETURNS_MARKET),
                    new PolicyCase(CUSTOMER_A, "for B", t.insert, h -> List.of(h.mine.customerB), DENIED),
                    new PolicyCase(CUSTOMER_A, "for the other market's A", t.insert, h -> List.of(h.theirs.customerA), DENIED),
                    new PolicyCase(CUSTOMER_A, "own", t.update, h -> List.of(t.a(h.mine)), rows(1)),
                    new PolicyCase(CUSTOMER_A, "B's", t.update, h -> List.of(t.b(h.mine)), rows(0)),
                    new PolicyCase(CUSTOMER_A, "the other market's A's", t.update, h -> List.of(t.a(h.theirs)), rows(0)),
                    new PolicyCase(CUSTOMER_A, "hand own over to B", "UPDATE " + t.table + " SET user_id = ? WHERE id = ?",
                            h -> List.of(h.mine.customerB, t.a(h.mine)), DENIED),
                    // the market is the user's: a new value is overwritten by the trigger, the row stays put
                    new PolicyCase(CUSTOMER_A, "move own to the other market",
                            "UPDATE " + t.table + " SET market = ? WHERE id = ? RETURNING market",
                            h -> List.of(h.other(), t.a(h.mine)), RETURNS_MARKET),
                    new PolicyCase(CUSTOMER_A, "own", delete, h -> List.of(t.a(h.mine)), rows(1)),
                    new PolicyCase(CUSTOMER_A, "B's", delete, h -> List.of(t.b(h.mine)), rows(0)),
                    new PolicyCase(CUSTOMER_A, "the other market's A's", delete, h -> List.of(t.a(h.theirs)), rows(0)),
                    see(MANAGER, t.table, "A's", h -> List.of(t.a(h.mine))),
                    see(MANAGER, t.table, "B's", h -> List.of(t.b(h.mine))),
                    hide(MANAGER, t.table, "the other market's A's", h -> List.of(t.a(h.theirs)))));
        }
        return List.copyOf(k);
    }

    private static String newPhone(PolicyCase.Here h) throws SQLException {
        return h.fresh("phone", () -> World.freshPhone(h.market));
    }

    private static String foreignPhone(PolicyCase.Here h) throws SQLException {
        return h.fresh("foreign phone", () -> World.freshPhone(h.other()));
    }

    @Override
    List<PolicyCase> cases() {
        return CASES;
    }

    @Override
    List<String> tables() {
        return List.of("users", "verification_codes", "sms_outbox", "addresses", "payment_methods", "notifications");
    }
}
