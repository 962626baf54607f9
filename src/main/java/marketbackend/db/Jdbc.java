package marketbackend.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.helidon.dbclient.DbRow;

import marketbackend.AppConfig;

/**
 * Plain JDBC for work outside any request: the maintenance commands (market, grant-manager, sms-outbox,
 * audit, demo-data, ...) connect as the table owner ({@code DB_MIGRATION_USER}), so no context and no
 * policy applies. Parameters are bound in order. Rows come back as the server's {@link DbRow}s, read
 * with {@link Rows}, so a table's row is mapped the same way on both sides.
 */
public final class Jdbc {
    private Jdbc() {
    }

    /** A connection as the owner, directly to the database ({@link AppConfig.Database#ownerUrl()}). */
    public static Connection asOwner(AppConfig cfg) throws SQLException {
        AppConfig.Database db = cfg.db();
        return DriverManager.getConnection(db.ownerUrl(), db.migrationUser(), db.migrationPassword());
    }

    /** A connection as the pool's role ({@code DB_USER} at {@code DB_URL}), with no context: the caller sends one. */
    public static Connection asApp(AppConfig cfg) throws SQLException {
        AppConfig.Database db = cfg.db();
        return DriverManager.getConnection(db.url(), db.user(), db.password());
    }

    /** Every row, read fully. */
    public static List<DbRow> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            return ResultRows.all(rs);
        }
    }

    /** Every row of a SQL file run as written: no parameters, so a {@code ?} operator stays an operator. */
    public static List<DbRow> fileRows(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            // the files are plain PostgreSQL: no JDBC {fn ...} escapes to rewrite
            st.setEscapeProcessing(false);
            try (ResultSet rs = st.executeQuery(sql)) {
                return ResultRows.all(rs);
            }
        }
    }

    /** The first column of every row. */
    public static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The first column of the first row, or null when there is no row. */
    public static String string(Connection c, String sql, Object... params) throws SQLException {
        List<String> all = strings(c, sql, params);
        return all.isEmpty() ? null : all.getFirst();
    }

    /** The first column of the first row as a number, or null when there is no row. */
    public static Long number(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    /** Runs an INSERT, UPDATE or DELETE; answers the rows it changed. */
    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** Runs any statement (DDL, a query whose rows do not matter). */
    public static void execute(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            ps.execute();
        }
    }

    /** How a command reports a failed statement; a missing table means the schema was never migrated. */
    public static String databaseError(SQLException e) {
        return "database error: " + e.getMessage() + ("42P01".equals(e.getSQLState()) ? " (run `migrate` first)" : "");
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }
}
