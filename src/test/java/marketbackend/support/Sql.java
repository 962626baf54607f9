package marketbackend.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import marketbackend.context.Actor;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Jdbc;

/** Small JDBC helpers for tests: run SQL as a request role exactly as the server does. */
public final class Sql {
    private Sql() {
    }

    /**
     * Starts a transaction on {@code c} (a market_app connection) with the server's context statement,
     * signed with the test configuration's key. Pass null for unset fields. The caller commits or rolls back.
     */
    public static void begin(Connection c, String role, String market, Long userId, String phone) throws SQLException {
        Actor actor = Arrays.stream(Actor.values()).filter(a -> a.dbRole().equals(role)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a request role: " + role));
        begin(c, new RequestContext(actor, market, userId, "test-" + UUID.randomUUID(), phone));
    }

    /** The same for a context the test built. */
    public static void begin(Connection c, RequestContext ctx) throws SQLException {
        c.setAutoCommit(false);
        // signed for the session's login role: market_app, or a superuser's where a test only switches role
        enter(c, TestDatabase.get().config().contextKeys().signer(Clock.systemUTC())
                .sign(ctx, strings(c, "SELECT session_user::text").getFirst(), false));
    }

    /** Sends the context statement with an already signed (or forged) context. */
    public static void enter(Connection c, String signedContext) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Db.CONTEXT_SQL)) {
            ps.setString(1, signedContext);
            ps.setString(2, "5000");
            ps.execute();
        }
    }

    /** {@code ctx} signed as the server of this test run signs it (for its pool's login role, read-write). */
    public static String signed(RequestContext ctx) {
        return TestDatabase.get().config().contextKeys().signer(Clock.systemUTC()).sign(ctx, "market_app", false);
    }

    public static long count(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
        return Jdbc.strings(c, sql, params);
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        return Jdbc.update(c, sql, params);
    }

    /** Runs an INSERT ... RETURNING id (or any single-long query). */
    public static long insertId(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The SQLSTATE that {@code sql} fails with, or null if it succeeds. Uses a savepoint so the transaction survives. */
    public static String sqlState(Connection c, String sql, Object... params) throws SQLException {
        var sp = c.setSavepoint();
        try (PreparedStatement ps = prepare(c, sql, params)) {
            ps.execute();
            c.releaseSavepoint(sp);
            return null;
        } catch (SQLException e) {
            c.rollback(sp);
            return e.getSQLState();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }
}
