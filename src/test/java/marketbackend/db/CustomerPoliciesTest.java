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
    private static final String SIGN_UP = "INSERT INTO users (market, phone) VALUES (?, ?) RETURNING market";
    private static final String NEW_CODE = "INSERT INTO verification_codes (phone, code_hash, expires_at) "
            + "VALUES (?, 'h', now() + interval '5 minutes') RETURNING market";
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
                // a login reads and signs up no user itself: app.redeem_login_code() does (LoginSecretsInjectionTest)
                new PolicyCase(GUEST_A, "the user of the phone", "SELECT id FROM users WHERE id = ?",
                        h -> List.of(h.mine.customerA), DENIED),
                new PolicyCase(NEWCOMER, "sign up with the phone", SIGN_UP, h -> List.of(h.market, newPhone(h)), DENIED),
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
                // no request role reads or writes login codes (app.issue_login_code(), app.redeem_login_code())
                new PolicyCase(GUEST_A, "the phone's code", "SELECT id FROM verification_codes WHERE id = ?",
                        h -> List.of(h.mine.codeA), DENIED),
                new PolicyCase(GUEST_A, "a code for the phone", NEW_CODE, h -> List.of(h.mine.phoneA), DENIED),
                new PolicyCase(GUEST_A, "use up the phone's code",
                        "UPDATE verification_codes SET attempts = attempts + 1, consumed_at = now() WHERE id = ?",
                        h -> List.of(h.mine.codeA), DENIED),
                new PolicyCase(GUEST_A, "reset the phone's code",
                        "UPDATE verification_codes SET attempts = 0, consumed_at = NULL WHERE id = ?",
                        h -> List.of(h.mine.codeA), DENIED),
                new PolicyCase(CUSTOMER_A, "own phone's code", "SELECT id FROM verification_codes WHERE id = ?",
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

    @Override
    List<PolicyCase> cases() {
        return CASES;
    }

    @Override
    List<String> tables() {
        return List.of("users", "verification_codes", "sms_outbox", "addresses", "payment_methods", "notifications");
    }
}
