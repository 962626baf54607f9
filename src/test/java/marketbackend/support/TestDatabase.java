package marketbackend.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import marketbackend.AppConfig;
import marketbackend.db.Bootstrap;
import marketbackend.db.EmbeddedCluster;
import marketbackend.db.Migrations;

/**
 * One fresh database per test run, prepared exactly like production: {@code bootstrap} (roles,
 * database owned by market_owner) then the Flyway migrations and policies.
 *
 * <p>PostgreSQL comes from {@code TEST_DB_ADMIN_URL} (a superuser JDBC URL, or {@code embedded}), else from
 * Testcontainers where Docker runs, else from the local default
 * {@code jdbc:postgresql://localhost:5432/postgres?user=postgres} when it answers, else from an embedded
 * PostgreSQL 17 in a temporary folder (the server's own fallback, {@link EmbeddedCluster}).
 * The database is dropped when the JVM exits; roles are cluster-wide and created idempotently.
 */
public final class TestDatabase {
    private static final String LOCAL_ADMIN = "jdbc:postgresql://localhost:5432/postgres?user=postgres";
    private static volatile TestDatabase instance;

    private final String adminUrl;
    private final String name;
    private final Map<String, String> env;
    private final AppConfig config;

    private TestDatabase(String adminUrl) throws SQLException {
        this.adminUrl = adminUrl;
        this.name = "market_test_" + System.currentTimeMillis() + "_"
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36).toLowerCase(Locale.ROOT);
        Map<String, String> env = new HashMap<>();
        env.put("DB_URL", Bootstrap.withDatabase(adminUrlWithoutUser(adminUrl), name));
        env.put("DB_ADMIN_URL", adminUrl);
        env.put("APP_ENV", "dev");
        env.put("JWT_SECRET", "test-secret-0123456789-0123456789-abcdef");
        env.put("DB_STATEMENT_TIMEOUT_MS", "5000");
        this.env = Map.copyOf(env);
        this.config = AppConfig.fromEnv(env);
        Bootstrap.run(config);
        Migrations.migrate(config);
        Runtime.getRuntime().addShutdownHook(new Thread(this::drop, "drop-test-database"));
    }

    public static TestDatabase get() {
        if (instance == null) {
            synchronized (TestDatabase.class) {
                if (instance == null) {
                    try {
                        instance = new TestDatabase(resolveAdminUrl());
                    } catch (SQLException e) {
                        throw new IllegalStateException("Cannot prepare the test database: " + e.getMessage(), e);
                    }
                }
            }
        }
        return instance;
    }

    /** Configuration pointing at this run's database (pool user market_app, owner market_owner). */
    public AppConfig config() {
        return config;
    }

    /** The same with some environment variables changed, read as the server reads them. */
    public AppConfig config(Map<String, String> changes) {
        return AppConfig.fromEnv(env, changes);
    }

    /** The environment {@link #config()} is read from. */
    public Map<String, String> env() {
        return env;
    }

    public String name() {
        return name;
    }

    public String adminUrl() {
        return adminUrl;
    }

    /** A connection as the pool's login role, market_app (NOINHERIT: no privileges until SET ROLE). */
    public Connection app() throws SQLException {
        return DriverManager.getConnection(config.db().url(), config.db().user(), config.db().password());
    }

    /** A connection as the table owner (BYPASSRLS): for seeding and for checking what was really written. */
    public Connection owner() throws SQLException {
        AppConfig.Database db = config.db();
        return DriverManager.getConnection(db.url(), db.migrationUser(), db.migrationPassword());
    }

    /** A superuser connection to this run's database (for planting flaws in audit tests). */
    public Connection superuser() throws SQLException {
        return DriverManager.getConnection(Bootstrap.withDatabase(adminUrl, name));
    }

    private static String resolveAdminUrl() {
        String env = System.getenv("TEST_DB_ADMIN_URL");
        if ("embedded".equals(env)) {
            return embedded();
        }
        if (env != null && !env.isBlank()) {
            return env;
        }
        if (dockerAvailable()) {
            PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:16-alpine");
            pg.start();
            Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "stop-postgres-container"));
            return pg.getJdbcUrl() + (pg.getJdbcUrl().contains("?") ? "&" : "?")
                    + "user=" + pg.getUsername() + "&password=" + pg.getPassword();
        }
        return localAnswers() ? LOCAL_ADMIN : embedded();
    }

    private static String embedded() {
        return EmbeddedCluster.throwaway(line -> System.out.println("test database: " + line)).adminUrl();
    }

    private static boolean localAnswers() {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("localhost", 5432), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    /** The admin URL minus credentials in the query, so DB_URL carries none (users come from DB_USER). */
    private static String adminUrlWithoutUser(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private void drop() {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + name + ": " + e.getMessage());
        }
    }
}
