package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import marketbackend.db.PolicyCase.Who;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static marketbackend.db.PolicyCase.CUSTOMER_A;
import static marketbackend.db.PolicyCase.DENIED;
import static marketbackend.db.PolicyCase.GUEST;
import static marketbackend.db.PolicyCase.RETURNS_MARKET;
import static marketbackend.db.PolicyCase.RETURNS_NOTHING;
import static marketbackend.db.PolicyCase.hide;
import static marketbackend.db.PolicyCase.none;
import static marketbackend.db.PolicyCase.returns;
import static marketbackend.db.PolicyCase.rows;
import static marketbackend.db.PolicyCase.see;

/**
 * sessions and refresh_tokens: a customer sees, renews and ends only their own sessions in their
 * market, an ended session and a spent token stay so, and a guest reaches a session only through
 * app.refresh_token_session() with the hash of its token. Both markets, allowed and denied.
 */
class SessionPoliciesTest extends PolicyTable {
    /** Customer A of the case's market, served in the other market: the same user id, another market. */
    private static final Who A_ABROAD = new Who("customer A in the other market", Rls.CUSTOMER,
            h -> Rls.customer(h.other(), h.mine.customerA));
    /** The other market's customer A, served in the case's market. */
    private static final Who STRANGER = new Who("the other market's customer A, here", Rls.CUSTOMER,
            h -> Rls.customer(h.market, h.theirs.customerA));
    private static final Who GUEST_ABROAD = new Who("guest of the other market", Rls.GUEST, h -> Rls.guest(h.other()));
    private static final Who BOTH = new Who("manager of both markets", Rls.MANAGER, h -> Rls.manager(h.market, h.w.managerBoth));

    private static final String OPEN = "INSERT INTO sessions (user_id, expires_at) VALUES (?, now() + interval '1 day')";
    private static final String TOKEN = "SELECT token_hash FROM refresh_tokens WHERE token_hash = ?";
    private static final String ISSUE = "INSERT INTO refresh_tokens (token_hash, session_id, user_id) VALUES (?, ?, ?)";
    private static final String END = "UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE id = ?";
    private static final String SPEND = "UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = ?";
    /** The session a token finds: "true true <market>" when it is that session of that user. */
    private static final String LOOKUP = "SELECT concat_ws(' ', (session_id = ?)::text, (user_id = ?)::text, market) "
            + "FROM app.refresh_token_session(?)";

    static final List<PolicyCase> CASES = List.of(
            // ---------------------------------------------------------------- sessions: select
            see(CUSTOMER_A, "sessions", "own", h -> List.of(a(h).session)),
            hide(CUSTOMER_A, "sessions", "B's", h -> List.of(b(h).session)),
            hide(CUSTOMER_A, "sessions", "the other market's A's", h -> List.of(theirs(h).session)),
            // the same user id under the other market sees nothing of theirs
            hide(A_ABROAD, "sessions", "own, served in the other market", h -> List.of(a(h).session)),

            // ---------------------------------------------------------------- refresh_tokens: select
            new PolicyCase(CUSTOMER_A, "own", TOKEN, h -> List.of(a(h).hash), rows(1)),
            new PolicyCase(CUSTOMER_A, "B's", TOKEN, h -> List.of(b(h).hash), rows(0)),
            new PolicyCase(CUSTOMER_A, "the other market's A's", TOKEN, h -> List.of(theirs(h).hash), rows(0)),
            new PolicyCase(A_ABROAD, "own, served in the other market", TOKEN, h -> List.of(a(h).hash), rows(0)),

            // ---------------------------------------------------------------- sessions: insert
            new PolicyCase(CUSTOMER_A, "for themselves", OPEN + " RETURNING market", h -> List.of(h.mine.customerA), RETURNS_MARKET),
            new PolicyCase(CUSTOMER_A, "for B", OPEN, h -> List.of(h.mine.customerB), DENIED),
            new PolicyCase(CUSTOMER_A, "for themselves, already ended", "INSERT INTO sessions (user_id, expires_at, ended_at, end_reason) "
                    + "VALUES (?, now() + interval '1 day', now(), 'logout')", h -> List.of(h.mine.customerA), DENIED),
            // a user of the other market cannot be given a session here
            new PolicyCase(STRANGER, "for themselves, in a market not theirs", OPEN, h -> List.of(h.theirs.customerA), DENIED),

            // ---------------------------------------------------------------- refresh_tokens: insert
            new PolicyCase(CUSTOMER_A, "for the session just opened", ISSUE,
                    h -> List.of(hash("new" + opened(h)), opened(h), h.mine.customerA), rows(1)),
            new PolicyCase(CUSTOMER_A, "for B's session", ISSUE, h -> List.of(hash("theirs" + h.market), b(h).session, h.mine.customerB),
                    DENIED),
            new PolicyCase(CUSTOMER_A, "already spent, for the session just opened",
                    "INSERT INTO refresh_tokens (token_hash, session_id, user_id, rotated_at) VALUES (?, ?, ?, now())",
                    h -> List.of(hash("spent" + opened(h)), opened(h), h.mine.customerA), DENIED),

            // ---------------------------------------------------------------- sessions: update, delete
            new PolicyCase(CUSTOMER_A, "renew own", "UPDATE sessions SET last_used_at = now() WHERE id = ?",
                    h -> List.of(a(h).session), rows(1)),
            new PolicyCase(CUSTOMER_A, "end own", END, h -> List.of(a(h).session), rows(1)),
            new PolicyCase(CUSTOMER_A, "end B's", END, h -> List.of(b(h).session), rows(0)),
            new PolicyCase(CUSTOMER_A, "end the other market's A's", END, h -> List.of(theirs(h).session), rows(0)),
            new PolicyCase(A_ABROAD, "end own, served in the other market", END, h -> List.of(a(h).session), rows(0)),
            new PolicyCase(CUSTOMER_A, "hand own to B", "UPDATE sessions SET user_id = ? WHERE id = ?",
                    h -> List.of(h.mine.customerB, a(h).session), DENIED),
            new PolicyCase(CUSTOMER_A, "own", "DELETE FROM sessions WHERE id = ?", h -> List.of(a(h).session), DENIED),
            // ended stays ended: the session is ended first, in the same request
            new PolicyCase(CUSTOMER_A, "reopen own once ended", "UPDATE sessions SET ended_at = NULL, end_reason = NULL WHERE id = ?",
                    h -> List.of(ended(h)), rows(0)),
            new PolicyCase(CUSTOMER_A, "extend own once ended", "UPDATE sessions SET expires_at = now() + interval '1 year' WHERE id = ?",
                    h -> List.of(ended(h)), rows(0)),

            // ---------------------------------------------------------------- refresh_tokens: update, delete
            new PolicyCase(CUSTOMER_A, "spend own", SPEND, h -> List.of(a(h).hash), rows(1)),
            new PolicyCase(CUSTOMER_A, "spend B's", SPEND, h -> List.of(b(h).hash), rows(0)),
            new PolicyCase(CUSTOMER_A, "spend the other market's A's", SPEND, h -> List.of(theirs(h).hash), rows(0)),
            new PolicyCase(CUSTOMER_A, "move own to B's session", "UPDATE refresh_tokens SET session_id = ? WHERE token_hash = ?",
                    h -> List.of(b(h).session, a(h).hash), DENIED),
            new PolicyCase(CUSTOMER_A, "own", "DELETE FROM refresh_tokens WHERE token_hash = ?", h -> List.of(a(h).hash), DENIED),
            // spent stays spent: the token is spent first, in the same request
            new PolicyCase(CUSTOMER_A, "unspend own once spent", "UPDATE refresh_tokens SET rotated_at = NULL WHERE token_hash = ?",
                    h -> List.of(spent(h)), rows(0)),

            // ---------------------------------------------------------------- guests, served in either market
            new PolicyCase(GUEST, "the session of A's token", LOOKUP, h -> List.of(a(h).session, h.mine.customerA, a(h).hash),
                    returns("true true <market>")),
            new PolicyCase(GUEST_ABROAD, "the session of A's token", LOOKUP, h -> List.of(a(h).session, h.mine.customerA, a(h).hash),
                    returns("true true <market>")),
            new PolicyCase(GUEST, "the session of an unknown token", LOOKUP, h -> List.of(0L, 0L, hash("unknown")), RETURNS_NOTHING),
            new PolicyCase(GUEST_ABROAD, "the session of an unknown token", LOOKUP, h -> List.of(0L, 0L, hash("unknown")),
                    RETURNS_NOTHING),
            new PolicyCase(GUEST, "every session", "SELECT count(*) FROM sessions", none(), DENIED),
            new PolicyCase(GUEST_ABROAD, "every session", "SELECT count(*) FROM sessions", none(), DENIED),
            new PolicyCase(GUEST, "every token", "SELECT count(*) FROM refresh_tokens", none(), DENIED),
            new PolicyCase(GUEST_ABROAD, "every token", "SELECT count(*) FROM refresh_tokens", none(), DENIED),
            new PolicyCase(GUEST, "end A's", END, h -> List.of(a(h).session), DENIED),
            new PolicyCase(GUEST_ABROAD, "end A's", END, h -> List.of(a(h).session), DENIED),

            // ---------------------------------------------------------------- managers and customers: no lookup
            new PolicyCase(BOTH, "every session", "SELECT count(*) FROM sessions", none(), DENIED),
            new PolicyCase(BOTH, "every token", "SELECT count(*) FROM refresh_tokens", none(), DENIED),
            new PolicyCase(BOTH, "the session of A's token", LOOKUP, h -> List.of(a(h).session, h.mine.customerA, a(h).hash), DENIED),
            new PolicyCase(CUSTOMER_A, "the session of own token", LOOKUP, h -> List.of(a(h).session, h.mine.customerA, a(h).hash),
                    DENIED));

    /** A session and the hash of its refresh token, written by the owner. */
    record Held(long session, String hash) {
    }

    /** Per market: customer A's and customer B's, written once per run. */
    private static final Map<String, Held[]> HELD = new HashMap<>();

    private static synchronized Held[] held(String market) throws SQLException {
        if (HELD.isEmpty()) {
            try (Connection c = TestDatabase.get().owner()) {
                for (String m : List.of("KG", "US")) {
                    World.Side s = World.get().side(m);
                    HELD.put(m, new Held[] {hold(c, s.customerA, m + "a"), hold(c, s.customerB, m + "b")});
                }
            }
        }
        return HELD.get(market);
    }

    private static Held hold(Connection c, long user, String seed) throws SQLException {
        long session = Sql.insertId(c, OPEN + " RETURNING id", user);
        String hash = hash(seed + session);
        Sql.update(c, ISSUE, hash, session, user);
        return new Held(session, hash);
    }

    private static Held a(PolicyCase.Here h) throws SQLException {
        return held(h.market)[0];
    }

    private static Held b(PolicyCase.Here h) throws SQLException {
        return held(h.market)[1];
    }

    /** The other market's customer A's. */
    private static Held theirs(PolicyCase.Here h) throws SQLException {
        return held(h.other())[0];
    }

    /** A session customer A opens in the case's own transaction. */
    private static long opened(PolicyCase.Here h) throws SQLException {
        return h.fresh("opened", () -> Sql.insertId(h.c, OPEN + " RETURNING id", h.mine.customerA));
    }

    /** Customer A's session, ended in the case's own transaction. */
    private static long ended(PolicyCase.Here h) throws SQLException {
        long session = a(h).session;
        Rls.assertTouches(1, h.c, END, session);
        return session;
    }

    /** Customer A's token, spent in the case's own transaction. */
    private static String spent(PolicyCase.Here h) throws SQLException {
        String hash = a(h).hash;
        Rls.assertTouches(1, h.c, SPEND, hash);
        return hash;
    }

    private static String hash(String seed) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    List<PolicyCase> cases() {
        return CASES;
    }

    @Override
    List<String> tables() {
        return List.of("sessions", "refresh_tokens");
    }
}
