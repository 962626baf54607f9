package marketbackend;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Consumer;

import marketbackend.db.Bootstrap;
import marketbackend.db.EmbeddedCluster;

/**
 * The database when none is configured: with {@code DB_URL=embedded}, or with no {@code DB_URL} and
 * nothing answering at localhost:5432, every command runs on an embedded PostgreSQL 17 kept in
 * {@code EMBEDDED_PG_DIR} (default {@value #DEFAULT_DIR}), bootstrapped like any other cluster.
 */
final class EmbeddedDefault {
    static final String DEFAULT_DIR = "data/embedded-postgres";

    private EmbeddedDefault() {
    }

    static boolean wanted(Map<String, String> env) {
        String url = env.get("DB_URL");
        if ("embedded".equals(url)) {
            return true;
        }
        return (url == null || url.isBlank()) && (env.get("DB_ADMIN_URL") == null || env.get("DB_ADMIN_URL").isBlank())
                && !answers("localhost", 5432);
    }

    /** Opens (or reuses) the cluster, bootstraps it and points the configuration at it. */
    static AppConfig use(AppConfig cfg, Map<String, String> env, Consumer<String> say) throws SQLException {
        if (!"embedded".equals(env.get("DB_URL"))) {
            say.accept("No DB_URL and no PostgreSQL at localhost:5432: using the embedded PostgreSQL "
                    + EmbeddedCluster.MAJOR + " (DB_URL=embedded)");
        }
        EmbeddedCluster pg = EmbeddedCluster.open(Path.of(env.getOrDefault("EMBEDDED_PG_DIR", DEFAULT_DIR)), say);
        AppConfig embedded = cfg.withDbUrl(pg.url("market")).withAdminUrl(pg.adminUrl());
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
