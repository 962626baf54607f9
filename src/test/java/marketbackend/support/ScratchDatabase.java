package marketbackend.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import marketbackend.AppConfig;
import marketbackend.db.Bootstrap;
import marketbackend.db.Migrations;

/**
 * A database of its own, bootstrapped and migrated like the run's shared one, for tests that plant
 * flaws or change the markets: whatever they do here never reaches the shared database. Dropped on
 * {@link #close()}.
 */
public final class ScratchDatabase implements AutoCloseable {
    private final String adminUrl;
    private final String name;
    private final Map<String, String> env;
    private final AppConfig config;

    public ScratchDatabase() throws SQLException {
        TestDatabase shared = TestDatabase.get();
        this.adminUrl = shared.adminUrl();
        this.name = "market_scratch_" + System.currentTimeMillis() + "_"
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36).toLowerCase(Locale.ROOT);
        this.env = Map.of("DB_URL", Bootstrap.withDatabase(shared.config().db().url(), name));
        this.config = shared.config(env);
        Bootstrap.run(config);
        Migrations.migrate(config);
    }

    public AppConfig config() {
        return config;
    }

    /** The same with some environment variables changed. */
    public AppConfig config(Map<String, String> changes) {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(changes);
        return TestDatabase.get().config(all);
    }

    /** A superuser connection: may plant any flaw, including throwaway roles inside a transaction. */
    public Connection superuser() throws SQLException {
        return DriverManager.getConnection(Bootstrap.withDatabase(adminUrl, name));
    }

    public Connection owner() throws SQLException {
        AppConfig.Database db = config.db();
        return DriverManager.getConnection(db.url(), db.migrationUser(), db.migrationPassword());
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        }
    }
}
