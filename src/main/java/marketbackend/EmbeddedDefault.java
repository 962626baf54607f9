package marketbackend;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Consumer;

import marketbackend.db.Bootstrap;
import marketbackend.db.EmbeddedCluster;

/**
 * Which database a command uses when none is configured (neither {@code DB_URL} nor {@code DB_ADMIN_URL}):
 * <ul>
 * <li>the embedded cluster of this checkout when its server last served on it ({@link #STATE_FILE}), so a
 *     second terminal's commands reach the same data; if that cluster is not running, one line says so;</li>
 * <li>else the PostgreSQL at localhost:5432; {@code serve} bootstraps it and loads the demo when it has no
 *     {@code market} database and its superuser ({@code postgres}, the DB_ADMIN_URL default) logs in;</li>
 * <li>else (nothing at :5432, or no superuser there) an embedded PostgreSQL 17 in {@code EMBEDDED_PG_DIR}.</li>
 * </ul>
 * {@code DB_URL=embedded} always means the embedded cluster.
 */
final class EmbeddedDefault {
    /**
     * Written into EMBEDDED_PG_DIR by a server that serves on the embedded cluster ({@code DB_URL=...} of it),
     * removed by one that serves on localhost:5432 by default.
     */
    static final String STATE_FILE = "used-by-server";

    private EmbeddedDefault() {
    }

    /** What the command runs on. */
    enum Choice { CONFIGURED, EMBEDDED, LOCAL_BOOTSTRAP }

    static Choice choose(AppConfig cfg, String command) {
        if (cfg.embedded().asked()) {
            return Choice.EMBEDDED;
        }
        if (!cfg.embedded().fallback()) {
            return Choice.CONFIGURED;
        }
        Path dir = cfg.embedded().dir();
        boolean serverUsesEmbedded = Files.exists(dir.resolve(STATE_FILE));
        if (serverUsesEmbedded && EmbeddedCluster.isRunning(dir)) {
            return Choice.EMBEDDED;
        }
        if (!answers("localhost", 5432)) {
            return Choice.EMBEDDED;
        }
        if (serverUsesEmbedded && !command.equals("serve")) {
            throw new Preflight.Failure("This checkout's server runs on its embedded PostgreSQL (" + dir
                    + "), which is not running now: start that server first (`DB_URL=embedded " + Preflight.command("").strip()
                    + "`), or run this command with DB_URL=embedded");
        }
        return command.equals("serve") ? Choice.LOCAL_BOOTSTRAP : Choice.CONFIGURED;
    }

    /**
     * The local default of {@code serve} at localhost:5432: nothing to do if the database is there; else
     * bootstrap and load the demo (answers true) when the superuser logs in; else null: use the embedded one.
     */
    static Boolean bootstrapLocal(AppConfig cfg, Consumer<String> say) {
        try {
            Preflight.databaseAnswers(cfg, true);
            return false;
        } catch (Preflight.Failure missing) {
            try {
                Bootstrap.run(cfg);
            } catch (SQLException | RuntimeException e) {
                say.accept("PostgreSQL at localhost:5432 has no usable database market and its superuser (DB_ADMIN_URL,"
                        + " default postgres) cannot create it (" + oneLine(e) + "): using the embedded PostgreSQL "
                        + EmbeddedCluster.MAJOR + " instead; run `" + Preflight.command("bootstrap")
                        + "` with DB_ADMIN_URL to use the one at :5432");
                return null;
            }
            say.accept("No database market at localhost:5432: created its roles and database as superuser postgres"
                    + " (bootstrap) and loading the demo catalog; this happens only for the local default (no DB_URL)");
            return true;
        }
    }

    /**
     * Opens (or reuses) the cluster and bootstraps it: the configuration of {@code env} with
     * {@code DB_URL} and {@code DB_ADMIN_URL} pointing at it.
     */
    static AppConfig use(AppConfig cfg, Map<String, String> env, Consumer<String> say, String why) throws SQLException {
        if (why != null) {
            say.accept(why);
        }
        EmbeddedCluster pg = EmbeddedCluster.open(cfg.embedded().dir(), say);
        // the owner, too, connects to the embedded cluster directly
        AppConfig embedded = AppConfig.fromEnv(env, Map.of("DB_URL", pg.url("market"), "DB_ADMIN_URL", pg.adminUrl(),
                "DB_MIGRATION_URL", ""));
        Bootstrap.run(embedded);
        return embedded;
    }

    /** Marks this checkout's embedded cluster as the one its server serves on (kept after it stops). */
    static void markServing(AppConfig embedded) {
        Path file = embedded.embedded().dir().resolve(STATE_FILE);
        try {
            Files.writeString(file, "DB_URL=" + embedded.db().url() + "\n");
        } catch (IOException e) {
            System.err.println("market-backend: could not write " + file + " (other commands will not find this cluster): "
                    + e.getMessage());
        }
    }

    /** The local default serves on localhost:5432 now: commands go there too. */
    static void unmark(AppConfig cfg) {
        try {
            Files.deleteIfExists(cfg.embedded().dir().resolve(STATE_FILE));
        } catch (IOException e) {
            // a folder we cannot write is one we never marked
        }
    }

    private static String oneLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
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
