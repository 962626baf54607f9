package marketbackend;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Consumer;

import marketbackend.db.Bootstrap;
import marketbackend.db.EmbeddedCluster;

/**
 * The database when none is configured: with {@code DB_URL=embedded}, or with neither {@code DB_URL}
 * nor {@code DB_ADMIN_URL} and nothing answering at localhost:5432, every command runs on an embedded
 * PostgreSQL 17 kept in {@code EMBEDDED_PG_DIR} ({@link AppConfig.Embedded}), bootstrapped like any
 * other cluster.
 */
final class EmbeddedDefault {
    private EmbeddedDefault() {
    }

    static boolean wanted(AppConfig cfg) {
        return cfg.embedded().asked() || cfg.embedded().fallback() && !answers("localhost", 5432);
    }

    /**
     * Opens (or reuses) the cluster and bootstraps it: the configuration of {@code env} with
     * {@code DB_URL} and {@code DB_ADMIN_URL} pointing at it.
     */
    static AppConfig use(AppConfig cfg, Map<String, String> env, Consumer<String> say) throws SQLException {
        if (!cfg.embedded().asked()) {
            say.accept("No DB_URL and no PostgreSQL at localhost:5432: using the embedded PostgreSQL "
                    + EmbeddedCluster.MAJOR + " (DB_URL=embedded)");
        }
        EmbeddedCluster pg = EmbeddedCluster.open(cfg.embedded().dir(), say);
        // the owner, too, connects to the embedded cluster directly
        AppConfig embedded = AppConfig.fromEnv(env, Map.of("DB_URL", pg.url("market"), "DB_ADMIN_URL", pg.adminUrl(),
                "DB_MIGRATION_URL", ""));
        Bootstrap.run(embedded);
        return embedded;
    }

    private static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
