package marketbackend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs SQL as a request of the server: a market_app connection whose transaction starts with the
 * server's own context statement ({@link Db#CONTEXT_SQL}, signed), and is rolled back at the end so tests
 * leave nothing behind.
 */
final class Rls {
    static final String GUEST = "market_guest";
    static final String CUSTOMER = "market_customer";
    static final String MANAGER = "market_manager";
    /** insufficient_privilege: a missing grant, or a row refused by a policy's WITH CHECK. */
    static final String DENIED = "42501";

    private Rls() {
    }

    /** The request context: role and app.* settings; null means unset (sent as ''). */
    record Ctx(String role, String market, Long userId, String phone) {
    }

    static Ctx guest(String market) {
        return new Ctx(GUEST, market, null, null);
    }

    static Ctx guest(String market, String phone) {
        return new Ctx(GUEST, market, null, phone);
    }

    static Ctx customer(String market, Long userId) {
        return new Ctx(CUSTOMER, market, userId, null);
    }

    static Ctx manager(String market, Long userId) {
        return new Ctx(MANAGER, market, userId, null);
    }

    @FunctionalInterface
    interface Work {
        void run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one request transaction under {@code ctx}, then rolls it back. */
    static void as(Ctx ctx, Work work) throws SQLException {
        try (Connection c = TestDatabase.get().app()) {
            begin(c, ctx);
            try {
                work.run(c);
            } finally {
                c.rollback();
            }
        }
    }

    /** The server's context statement, signed like the server's: first statement of the transaction. */
    static void begin(Connection c, Ctx ctx) throws SQLException {
        Sql.begin(c, ctx.role(), ctx.market(), ctx.userId(), ctx.phone());
    }

    static String other(String market) {
        return switch (market) {
            case "KG" -> "US";
            case "US" -> "KG";
            default -> throw new IllegalArgumentException(market);
        };
    }

    /** How many rows of {@code table} with this id the request can see. */
    static long seen(Connection c, String table, long id) throws SQLException {
        return Sql.count(c, "SELECT count(*) FROM " + table + " WHERE id = ?", id);
    }

    static void assertSees(Connection c, String table, long id) throws SQLException {
        assertEquals(1, seen(c, table, id), () -> table + " row " + id + " should be visible");
    }

    static void assertHidden(Connection c, String table, long id) throws SQLException {
        assertEquals(0, seen(c, table, id), () -> table + " row " + id + " should be hidden");
    }

    /** Asserts the statement touches exactly {@code expected} rows. */
    static void assertTouches(int expected, Connection c, String sql, Object... params) throws SQLException {
        assertEquals(expected, Sql.update(c, sql, params), () -> "rows touched by: " + sql);
    }

    /** Asserts the statement fails with SQLSTATE 42501; the transaction goes on (savepoint). */
    static void assertDenied(Connection c, String sql, Object... params) throws SQLException {
        assertEquals(DENIED, state(c, sql, params), () -> "expected 42501 from: " + sql);
    }

    static void assertFails(String sqlState, Connection c, String sql, Object... params) throws SQLException {
        assertEquals(sqlState, state(c, sql, params), () -> "expected " + sqlState + " from: " + sql);
    }

    /** The SQLSTATE of {@code sql}, or null on success; in a transaction behind a savepoint, so it goes on. */
    static String state(Connection c, String sql, Object... params) throws SQLException {
        if (!c.getAutoCommit()) {
            return Sql.sqlState(c, sql, params);
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    /** Asserts the statement succeeds; a savepoint keeps the test's transaction usable either way. */
    static void assertAllowed(Connection c, String sql, Object... params) throws SQLException {
        var sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
            c.releaseSavepoint(sp);
        } catch (SQLException e) {
            c.rollback(sp);
            fail("expected success of: " + sql + " but got " + e.getSQLState() + " " + e.getMessage());
        }
    }

    /** The first row of a query (e.g. INSERT ... RETURNING a, b) as strings. */
    static List<String> row(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), () -> "no row from: " + sql);
                List<String> out = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.add(rs.getString(i));
                }
                return out;
            }
        }
    }
}
