package marketbackend.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import marketbackend.AppConfig;

/**
 * Prepares a PostgreSQL cluster for market-backend with a superuser connection ({@code DB_ADMIN_URL}):
 * roles (db-policies/roles.sql), their passwords, the database owned by {@code market_owner}, and its
 * privileges (db-policies/database.sql).
 * Idempotent: running it again changes nothing. A password is set only on a role that has none (new);
 * a role whose password differs from the configured one is left alone (roles are cluster-wide: other
 * users of the role would be locked out) unless {@code resetPasswords}, and the run says so.
 */
public final class Bootstrap {
    private Bootstrap() {
    }

    public static List<String> run(AppConfig cfg) throws SQLException {
        return run(cfg, false);
    }

    public static List<String> run(AppConfig cfg, boolean resetPasswords) throws SQLException {
        List<String> done = new ArrayList<>();
        AppConfig.Database db = cfg.db();
        String dbName = databaseName(db.ownerUrl());
        try (Connection admin = DriverManager.getConnection(db.adminUrl())) {
            admin.setAutoCommit(true);
            try (Statement st = admin.createStatement()) {
                st.execute(classpathText("db/policies/roles.sql"));
            }
            done.add("roles market_owner, market_app, market_dba, market_guest, market_customer, market_manager, market_reporter");
            done.add(password(admin, db, db.migrationUser(), db.migrationPassword(), "DB_MIGRATION_PASSWORD",
                    resetPasswords));
            done.add(password(admin, db, db.user(), db.password(), "DB_PASSWORD", resetPasswords));
            done.add(password(admin, db, ContextCommand.DBA_LOGIN, db.dbaPassword(), "DB_DBA_PASSWORD", resetPasswords));
            if (!databaseExists(admin, dbName)) {
                try (Statement st = admin.createStatement()) {
                    st.execute("CREATE DATABASE " + quoteIdent(dbName) + " OWNER market_owner");
                }
                done.add("database " + dbName);
            }
        }
        String dbAdminUrl = withDatabase(db.adminUrl(), dbName);
        try (Connection admin = DriverManager.getConnection(dbAdminUrl); Statement st = admin.createStatement()) {
            st.execute(classpathText("db/policies/database.sql"));
            done.add("database privileges (db-policies/database.sql: CONNECT for market_app and market_dba only, public"
                    + " schema owned by market_owner, no large objects, session advisory locks, signals to other"
                    + " sessions or their SQL text for the app roles)");
        }
        return done;
    }

    /** The database name in a JDBC URL such as jdbc:postgresql://host:5432/market?x=y. */
    public static String databaseName(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String path = uri.getPath();
        if (path == null || path.length() < 2) {
            throw new IllegalArgumentException("No database name in " + jdbcUrl);
        }
        return path.substring(1);
    }

    /** The same JDBC URL pointing at another database (keeps host, port and query). */
    public static String withDatabase(String jdbcUrl, String database) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return "jdbc:" + uri.getScheme() + "://" + uri.getHost() + port + "/" + database + query;
    }

    static String classpathText(String resource) {
        try (InputStream in = Bootstrap.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String password(Connection admin, AppConfig.Database db, String role, String password,
                                   String variable, boolean reset) throws SQLException {
        boolean hasPassword;
        try (PreparedStatement ps = admin.prepareStatement("SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                hasPassword = rs.next() && rs.getBoolean(1);
            }
        }
        if (!hasPassword) {
            setPassword(admin, role, password);
            return "password of " + role + " set (it had none)";
        }
        if (logsIn(db.adminUrl(), role, password)) {
            return "password of " + role + " unchanged (" + variable + " logs in)";
        }
        if (reset) {
            setPassword(admin, role, password);
            return "password of " + role + " reset to " + variable + " (--reset-passwords; cluster-wide)";
        }
        throw new IllegalStateException("Role " + role + " exists with another password than " + variable + ": set "
                + variable + " to it, or run bootstrap --reset-passwords to change it for the whole cluster");
    }

    private static boolean logsIn(String adminUrl, String role, String password) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", role);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5");
        int q = adminUrl.indexOf('?');
        try (Connection c = DriverManager.getConnection(q < 0 ? adminUrl : adminUrl.substring(0, q), p)) {
            return c != null;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void setPassword(Connection admin, String role, String password) throws SQLException {
        String sql;
        try (PreparedStatement ps = admin.prepareStatement("SELECT format('ALTER ROLE %I PASSWORD %L', ?, ?)")) {
            ps.setString(1, role);
            ps.setString(2, password);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                sql = rs.getString(1);
            }
        }
        try (Statement st = admin.createStatement()) {
            st.execute(sql);
        }
    }

    private static boolean databaseExists(Connection admin, String name) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String quoteIdent(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("Unsupported database name: " + name);
        }
        return "\"" + name + "\"";
    }
}
