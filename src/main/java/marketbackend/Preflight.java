package marketbackend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Start-up checks that turn a configuration mistake into one line that says what to do, instead of a
 * stack trace after long retries: the port is free, the database answers and knows our roles.
 */
final class Preflight {
    private static final long LOGIN_SECONDS = 15;
    private Preflight() {
    }

    /** A mistake the operator can fix; Main prints its message alone and exits 1. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    /** How the user runs a command (the launcher sets {@code market.launcher}). */
    static String command(String args) {
        return System.getProperty("market.launcher", "java -jar target/market-backend.jar") + " " + args;
    }

    static void portIsFree(AppConfig cfg) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getByName(cfg.serverHost()), cfg.serverPort()));
        } catch (IOException e) {
            throw portInUse(cfg);
        }
    }

    static Failure portInUse(AppConfig cfg) {
        return new Failure("Port " + cfg.serverPort() + " on " + cfg.serverHost() + " is already in use: stop the"
                + " other server or set SERVER_PORT to a free port (e.g. SERVER_PORT=" + (cfg.serverPort() + 1) + ")");
    }

    /** Connects once as the owner (or the pool's role), within DB_CONNECT_TIMEOUT_MS, and explains a failure. */
    static void databaseAnswers(AppConfig cfg, boolean asOwner) {
        String user = asOwner ? cfg.db().migrationUser() : cfg.db().user();
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", asOwner ? cfg.db().migrationPassword() : cfg.db().password());
        // a refused or missing database answers at once; the bound is for a host that does not answer, and is
        // generous because a loaded machine can take seconds for a login (scram)
        String seconds = Long.toString(Math.max(LOGIN_SECONDS, (cfg.limits().dbConnectTimeout().toMillis() + 999) / 1000));
        p.setProperty("connectTimeout", seconds);
        p.setProperty("loginTimeout", seconds);
        // the owner connects directly (DB_MIGRATION_URL), the pool maybe through a transaction pooler
        String url = asOwner ? cfg.db().ownerUrl() : cfg.db().url();
        try (Connection c = DriverManager.getConnection(url, p)) {
            c.isValid(1);
        } catch (SQLException e) {
            throw explain(e, url, asOwner && cfg.db().migrationUrl() != null ? "DB_MIGRATION_URL" : "DB_URL", user);
        }
    }

    /** One line for a failed connection: what is wrong, and the command that fixes it. */
    static Failure explain(SQLException e, String url, String variable, String user) {
        String where = hostAndPort(url);
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String bootstrap = command("bootstrap");
        if (state.equals("3D000")) {
            return new Failure("The database " + databaseOf(url) + " does not exist at " + where + ": run `" + bootstrap
                    + "` (with DB_ADMIN_URL, a superuser connection) to create the roles and the database");
        }
        if (state.startsWith("28")) {
            return new Failure("PostgreSQL at " + where + " refused role " + user + ": run `" + bootstrap
                    + "` to create the roles, or check its password (DB_MIGRATION_PASSWORD or DB_PASSWORD): " + firstLine(e));
        }
        if (e.getCause() instanceof java.net.SocketTimeoutException) {
            return new Failure("PostgreSQL at " + where + " (" + variable + ") did not answer in time: check that it is up"
                    + " and reachable, or raise DB_CONNECT_TIMEOUT_MS");
        }
        if (state.startsWith("08") || e.getCause() instanceof IOException) {
            return new Failure("No PostgreSQL answers at " + where + " (" + variable + "): start it and run `" + bootstrap
                    + "` once, or use the embedded one with DB_URL=embedded");
        }
        return new Failure("Cannot use the database at " + where + " (" + variable + "): " + firstLine(e));
    }

    /** A failure in one line: its first line, and the first line of its root cause where that says more. */
    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = firstLine(String.valueOf(e.getMessage()));
        String cause = firstLine(String.valueOf(root.getMessage()));
        return root == e || top.contains(cause) ? top : top + ": " + cause;
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    static String hostAndPort(String jdbcUrl) {
        try {
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            return uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
        } catch (RuntimeException e) {
            return "(unparseable URL)";
        }
    }

    private static String databaseOf(String jdbcUrl) {
        try {
            return marketbackend.db.Bootstrap.databaseName(jdbcUrl);
        } catch (RuntimeException e) {
            return "(none)";
        }
    }
}
