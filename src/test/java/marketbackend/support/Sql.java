package marketbackend.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Small JDBC helpers for tests: run SQL as a request role exactly as the server does. */
public final class Sql {
    private Sql() {
    }

    /**
     * Starts a transaction on {@code c} (a market_app connection) with the server's context preamble.
     * Pass null for unset settings. The caller commits or rolls back.
     */
    public static void begin(Connection c, String role, String market, Long userId, String phone) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('role', ?, true), "
                + "set_config('app.market', ?, true), set_config('app.user_id', ?, true), "
                + "set_config('app.request_id', 'test', true), set_config('app.phone', ?, true)")) {
            ps.setString(1, role);
            ps.setString(2, market == null ? "" : market);
            ps.setString(3, userId == null ? "" : userId.toString());
            ps.setString(4, phone == null ? "" : phone);
            ps.executeQuery().close();
        }
    }

    public static long count(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
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
