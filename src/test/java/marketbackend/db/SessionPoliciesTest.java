package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.as;
import static marketbackend.db.Rls.assertAllowed;
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
 * sessions and refresh_tokens: a customer sees, renews and ends only their own sessions in their
 * market, an ended session and a spent token stay so, and a guest reaches a session only through
 * app.refresh_token_session() with the hash of its token. Both markets, allowed and denied.
 */
class SessionPoliciesTest {
    private static final World W = World.get();
    /** Per market: session and token hash of customer A and of customer B. */
    private static final Map<String, long[]> SESSIONS = new HashMap<>();
    private static final Map<String, String[]> HASHES = new HashMap<>();

    @BeforeAll
    static void seed() throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            for (String m : List.of("KG", "US")) {
                World.Side s = W.side(m);
                long a = session(c, s.customerA);
                long b = session(c, s.customerB);
                String ha = hash(m + "a" + a);
                String hb = hash(m + "b" + b);
                Sql.update(c, "INSERT INTO refresh_tokens (token_hash, session_id, user_id) VALUES (?, ?, ?)", ha, a, s.customerA);
                Sql.update(c, "INSERT INTO refresh_tokens (token_hash, session_id, user_id) VALUES (?, ?, ?)", hb, b, s.customerB);
                SESSIONS.put(m, new long[] {a, b});
                HASHES.put(m, new String[] {ha, hb});
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customersSeeOnlyTheirOwnSessionsAndTokensInTheirMarket(String market) throws SQLException {
        World.Side s = W.side(market);
        long[] ids = SESSIONS.get(market);
        String[] hashes = HASHES.get(market);
        as(customer(market, s.customerA), c -> {
            assertSees(c, "sessions", ids[0]);
            assertHidden(c, "sessions", ids[1]);
            assertHidden(c, "sessions", SESSIONS.get(other(market))[0]);
            assertEquals(1, tokens(c, hashes[0]));
            assertEquals(0, tokens(c, hashes[1]));
            assertEquals(0, tokens(c, HASHES.get(other(market))[0]));
        });
        // the same user id under the other market sees nothing of theirs
        as(customer(other(market), s.customerA), c -> {
            assertHidden(c, "sessions", ids[0]);
            assertEquals(0, tokens(c, hashes[0]));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customersOpenSessionsOnlyForThemselves(String market) throws SQLException {
        World.Side s = W.side(market);
        as(customer(market, s.customerA), c -> {
            List<String> row = Rls.row(c, "INSERT INTO sessions (user_id, expires_at) VALUES (?, now() + interval '1 day') "
                    + "RETURNING id, market", s.customerA);
            assertEquals(market, row.get(1));
            assertAllowed(c, "INSERT INTO refresh_tokens (token_hash, session_id, user_id) VALUES (?, ?, ?)",
                    hash("new" + row.get(0)), Long.parseLong(row.get(0)), s.customerA);
            assertDenied(c, "INSERT INTO sessions (user_id, expires_at) VALUES (?, now() + interval '1 day')", s.customerB);
            assertDenied(c, "INSERT INTO sessions (user_id, expires_at, ended_at, end_reason) "
                    + "VALUES (?, now() + interval '1 day', now(), 'logout')", s.customerA);
            assertDenied(c, "INSERT INTO refresh_tokens (token_hash, session_id, user_id) VALUES (?, ?, ?)",
                    hash("theirs" + market), SESSIONS.get(market)[1], s.customerB);
            assertDenied(c, "INSERT INTO refresh_tokens (token_hash, session_id, user_id, rotated_at) VALUES (?, ?, ?, now())",
                    hash("spent" + row.get(0)), Long.parseLong(row.get(0)), s.customerA);
        });
        // a user of the other market cannot be given a session here
        as(customer(market, W.side(other(market)).customerA), c -> assertDenied(c,
                "INSERT INTO sessions (user_id, expires_at) VALUES (?, now() + interval '1 day')", W.side(other(market)).customerA));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customersRenewAndEndOnlyTheirOwnLiveSessions(String market) throws SQLException {
        World.Side s = W.side(market);
        long[] ids = SESSIONS.get(market);
        as(customer(market, s.customerA), c -> {
            assertTouches(1, c, "UPDATE sessions SET last_used_at = now() WHERE id = ?", ids[0]);
            assertTouches(0, c, "UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE id = ?", ids[1]);
            assertTouches(0, c, "UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE id = ?",
                    SESSIONS.get(other(market))[0]);
            assertDenied(c, "UPDATE sessions SET user_id = ? WHERE id = ?", s.customerB, ids[0]);
            assertDenied(c, "DELETE FROM sessions WHERE id = ?", ids[0]);
            // ended stays ended
            assertTouches(1, c, "UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE id = ?", ids[0]);
            assertTouches(0, c, "UPDATE sessions SET ended_at = NULL, end_reason = NULL WHERE id = ?", ids[0]);
            assertTouches(0, c, "UPDATE sessions SET expires_at = now() + interval '1 year' WHERE id = ?", ids[0]);
        });
        as(customer(other(market), s.customerA), c ->
                assertTouches(0, c, "UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE id = ?", ids[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customersSpendOnlyTheirOwnUnusedTokens(String market) throws SQLException {
        World.Side s = W.side(market);
        String[] hashes = HASHES.get(market);
        as(customer(market, s.customerA), c -> {
            assertTouches(0, c, "UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = ?", hashes[1]);
            assertTouches(0, c, "UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = ?", HASHES.get(other(market))[0]);
            assertDenied(c, "UPDATE refresh_tokens SET session_id = ? WHERE token_hash = ?", SESSIONS.get(market)[1], hashes[0]);
            assertDenied(c, "DELETE FROM refresh_tokens WHERE token_hash = ?", hashes[0]);
            assertTouches(1, c, "UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = ?", hashes[0]);
            // spent stays spent
            assertTouches(0, c, "UPDATE refresh_tokens SET rotated_at = NULL WHERE token_hash = ?", hashes[0]);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void guestsFindOnlyTheSessionOfATokenTheyHold(String market) throws SQLException {
        World.Side s = W.side(market);
        long[] ids = SESSIONS.get(market);
        for (String served : List.of(market, other(market))) {
            as(guest(served), c -> {
                assertEquals(List.of(Long.toString(ids[0]), Long.toString(s.customerA), market),
                        Rls.row(c, "SELECT session_id, user_id, market FROM app.refresh_token_session(?)", HASHES.get(market)[0]));
                assertEquals(0, Sql.count(c, "SELECT count(*) FROM app.refresh_token_session(?)", hash("unknown")));
                assertDenied(c, "SELECT count(*) FROM sessions");
                assertDenied(c, "SELECT count(*) FROM refresh_tokens");
                assertDenied(c, "UPDATE sessions SET ended_at = now(), end_reason = 'logout' WHERE id = ?", ids[0]);
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managersAndCustomersHaveNoSessionLookup(String market) throws SQLException {
        String hash = HASHES.get(market)[0];
        as(manager(market, W.managerBoth), c -> {
            assertDenied(c, "SELECT count(*) FROM sessions");
            assertDenied(c, "SELECT count(*) FROM refresh_tokens");
            assertDenied(c, "SELECT count(*) FROM app.refresh_token_session(?)", hash);
        });
        as(customer(market, W.side(market).customerA), c ->
                assertDenied(c, "SELECT count(*) FROM app.refresh_token_session(?)", hash));
    }

    private static long session(Connection c, long userId) throws SQLException {
        return Sql.insertId(c, "INSERT INTO sessions (user_id, expires_at) VALUES (?, now() + interval '1 day') RETURNING id",
                userId);
    }

    private static long tokens(Connection c, String hash) throws SQLException {
        return Sql.count(c, "SELECT count(*) FROM refresh_tokens WHERE token_hash = ?", hash);
    }

    private static String hash(String seed) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
