package marketbackend.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import marketbackend.AppConfig;
import marketbackend.context.RequestContext;

/** Builds the server's pool and refuses one whose login role could bypass the policies. */
public final class Databases {
    private Databases() {
    }

    /** The request pool: HikariCP connected as {@code DB_USER} (market_app), with the context signing key. */
    public static Db requestPool(AppConfig cfg) {
        return pool(cfg, cfg.db().url(), "market-app");
    }

    /**
     * The pool of guest catalog reads: {@code DB_READ_URL} (a streaming replica, same roles and keys),
     * or none, and they use the request pool.
     */
    public static Optional<Db> catalogReplicaPool(AppConfig cfg) {
        return Optional.ofNullable(cfg.db().readUrl()).map(url -> pool(cfg, url, "market-app-replica"));
    }

    private static Db pool(AppConfig cfg, String url, String name) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        AppConfig.Database db = cfg.db();
        hc.setUsername(db.user());
        hc.setPassword(db.password());
        hc.setPoolName(name);
        hc.setMaximumPoolSize(db.poolSize());
        hc.setMinimumIdle(Math.min(2, db.poolSize()));
        hc.setConnectionTimeout(Math.max(250, db.poolTimeout().toMillis()));
        hc.setValidationTimeout(1000);
        hc.setInitializationFailTimeout(-1);
        hc.addDataSourceProperty("ApplicationName", "market-backend");
        // request queries are short; a parallel plan (a list total) would take every core from the
        // other requests for its duration (see docs/BENCHMARKS.md). A connection-level tuning knob,
        // not request context: the market and user are only ever set per transaction. A transaction
        // pooler drops it (ignore_startup_parameters); bootstrap sets it per database too (database.sql).
        hc.addDataSourceProperty("options", "-c max_parallel_workers_per_gather=0");
        // bounded waits while the database is down or hung (the driver counts whole seconds)
        hc.addDataSourceProperty("connectTimeout", seconds(cfg.limits().dbConnectTimeout()));
        hc.addDataSourceProperty("loginTimeout", seconds(cfg.limits().dbConnectTimeout()));
        hc.addDataSourceProperty("socketTimeout", seconds(cfg.limits().dbSocketTimeout()));
        // pool gauges (hikaricp_connections_*) at /observe/metrics: HikariCP publishes into the registry behind it
        hc.setMetricRegistry(io.helidon.metrics.api.Metrics.globalRegistry().unwrap(Object.class));
        return new Db(new HikariDataSource(hc), new Turns(db.poolSize(), db.poolTimeout(), name),
                cfg.contextKeys().signer(Clock.systemUTC()), db.user(), db.statementTimeout().toMillis());
    }

    private static String seconds(java.time.Duration d) {
        return Long.toString(Math.max(1, (d.toMillis() + 999) / 1000));
    }

    /**
     * Fails unless the pool's login role is an ordinary role: not a superuser, not BYPASSRLS,
     * owner of nothing. Otherwise the policies would not apply to it (or it could drop them).
     */
    public static void requireSafeLoginRole(Db db) {
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet row = st.executeQuery("""
                SELECT r.rolname, r.rolsuper, r.rolbypassrls,
                       (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid)
                     + (SELECT count(*) FROM pg_namespace n WHERE n.nspowner = r.oid)
                     + (SELECT count(*) FROM pg_proc p WHERE p.proowner = r.oid) AS owned
                FROM pg_roles r WHERE r.rolname = current_user""")) {
            row.next();
            String role = row.getString("rolname");
            boolean superuser = row.getBoolean("rolsuper");
            boolean bypass = row.getBoolean("rolbypassrls");
            long owned = row.getLong("owned");
            if (superuser || bypass || owned > 0) {
                throw new IllegalStateException("Refusing to serve: the pool's login role " + role
                        + " must not be a superuser (" + superuser + "), BYPASSRLS (" + bypass
                        + ") or own objects (" + owned + "). Set DB_USER to market_app.");
            }
        } catch (SQLException e) {
            // Hikari's "Connection is not available" hides the reason (e.g. PgBouncer's "unsupported startup
            // parameter"): name the last connection failure it kept as the cause
            Throwable reason = e;
            while (reason.getCause() != null && reason.getCause() != reason) {
                reason = reason.getCause();
            }
            throw new IllegalStateException("Cannot check the pool's login role: " + e.getMessage()
                    + (reason == e ? "" : " (" + reason.getMessage() + ")"), e);
        }
    }

    /**
     * Fails unless `migrate` of this very build ran on the database (MIGRATE_ON_START=false: the
     * server has no owner rights to fix it, and must not serve an outdated schema or policies).
     */
    public static void requireCurrentSchema(Db db) {
        String expected = SchemaFingerprint.ofThisBuild();
        String actual;
        try (Connection c = db.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT app.schema_fingerprint()")) {
            rs.next();
            actual = rs.getString(1);
        } catch (SQLException e) {
            actual = null;
        }
        if (!expected.equals(actual)) {
            throw new IllegalStateException("Refusing to serve: the database schema is not the one this build expects"
                    + " (run `migrate` with this build first, as DB_MIGRATION_USER)");
        }
    }

    /** Fails unless the database verifies a context signed with this server's DB_CONTEXT_KEY. */
    public static void requireContextAccepted(Db db, String market) {
        RequestContext probe = RequestContext.guest(market, "startup-check");
        String seen;
        try {
            seen = db.read(probe, tx -> tx.get("SELECT app.current_market() AS market"))
                    .map(r -> Rows.optionalText(r, "market")).orElse(null);
        } catch (RuntimeException e) {
            seen = null;
        }
        if (!market.equals(seen)) {
            throw new IllegalStateException("Refusing to serve: the database does not accept this server's"
                    + " DB_CONTEXT_KEY (key id " + db.key().id() + "); run `migrate` with the same DB_CONTEXT_KEY");
        }
    }
}
