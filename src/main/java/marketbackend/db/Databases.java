package marketbackend.db;

import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

import marketbackend.AppConfig;

/** Builds the server's pool and refuses one whose login role could bypass the policies. */
public final class Databases {
    private Databases() {
    }

    /** The request pool: HikariCP through Helidon DbClient, connected as {@code DB_USER} (market_app). */
    public static Db requestPool(AppConfig cfg) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("source", "jdbc");
        map.put("connection.url", cfg.dbUrl());
        map.put("connection.username", cfg.dbUser());
        map.put("connection.password", cfg.dbPassword());
        map.put("connection.poolName", "market-app");
        map.put("connection.maximumPoolSize", Integer.toString(cfg.poolSize()));
        map.put("connection.minimumIdle", Integer.toString(Math.min(2, cfg.poolSize())));
        map.put("connection.connectionTimeout", Long.toString(Math.max(250, cfg.poolTimeout().toMillis())));
        map.put("connection.validationTimeout", "1000");
        map.put("connection.initializationFailTimeout", "-1");
        map.put("connection.dataSource.ApplicationName", "market-backend");
        // request queries are short; a parallel plan (a list total) would take every core from the
        // other requests for its duration (see docs/BENCHMARKS.md). A connection-level tuning knob,
        // not request context: the market and user are only ever set per transaction.
        map.put("connection.dataSource.options", "-c max_parallel_workers_per_gather=0");
        // bounded waits while the database is down or hung (the driver counts whole seconds)
        map.put("connection.dataSource.connectTimeout", seconds(cfg.limits().dbConnectTimeout()));
        map.put("connection.dataSource.loginTimeout", seconds(cfg.limits().dbConnectTimeout()));
        map.put("connection.dataSource.socketTimeout", seconds(cfg.limits().dbSocketTimeout()));
        DbClient client = DbClient.create(Config.just(ConfigSources.create(map)));
        return new Db(client, cfg.statementTimeout().toMillis());
    }

    private static String seconds(java.time.Duration d) {
        return Long.toString(Math.max(1, (d.toMillis() + 999) / 1000));
    }

    /**
     * Fails unless the pool's login role is an ordinary role: not a superuser, not BYPASSRLS,
     * owner of nothing. Otherwise the policies would not apply to it (or it could drop them).
     */
    public static void requireSafeLoginRole(Db db) {
        DbRow row = db.client().execute().get("""
                SELECT r.rolname, r.rolsuper, r.rolbypassrls,
                       (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid)
                     + (SELECT count(*) FROM pg_namespace n WHERE n.nspowner = r.oid)
                     + (SELECT count(*) FROM pg_proc p WHERE p.proowner = r.oid) AS owned
                FROM pg_roles r WHERE r.rolname = current_user""").orElseThrow();
        String role = row.column("rolname").get(String.class);
        boolean superuser = row.column("rolsuper").get(Boolean.class);
        boolean bypass = row.column("rolbypassrls").get(Boolean.class);
        long owned = row.column("owned").get(Number.class).longValue();
        if (superuser || bypass || owned > 0) {
            throw new IllegalStateException("Refusing to serve: the pool's login role " + role
                    + " must not be a superuser (" + superuser + "), BYPASSRLS (" + bypass
                    + ") or own objects (" + owned + "). Set DB_USER to market_app.");
        }
    }
}
