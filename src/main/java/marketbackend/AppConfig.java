package marketbackend;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import marketbackend.auth.AuthSettings;
import marketbackend.auth.SessionSettings;
import marketbackend.db.ContextKey;

/**
 * Every setting of the process, read from environment variables here and nowhere else (README,
 * "Configuration"). Each has a working local default, except {@code JWT_SECRET} and
 * {@code DB_CONTEXT_KEY}, which only have one when {@code APP_ENV=dev}. A configuration is only ever
 * made by {@link #fromEnv}: tests and the embedded default derive theirs from an environment with
 * some variables changed ({@link #fromEnv(Map, Map)}), so they go through the same parsing.
 *
 * @param appEnv                  {@code APP_ENV} (prod): {@code dev} allows the development keys
 * @param defaultMarket           {@code MARKET_DEFAULT} (KG): the market of a guest request without X-Market
 * @param serverHost              {@code SERVER_HOST} (0.0.0.0)
 * @param serverPort              {@code SERVER_PORT} (8080)
 * @param corsAllowedOrigins      {@code CORS_ALLOWED_ORIGINS} (none): comma-separated origins
 * @param maxPayloadBytes         {@code MAX_PAYLOAD_BYTES} (65536): the largest request body; 413 above
 * @param jwtSecret               {@code JWT_SECRET}: see {@link #jwtSecretBytes()}
 * @param jwtTtl                  {@code JWT_TTL_SECONDS} (3600): access token lifetime
 * @param smsMode                 {@code SMS_MODE} (outbox): {@code outbox} or {@code http}, checked where the
 *                                sender is built
 * @param revenueSnapshotInterval {@code REVENUE_SNAPSHOT_INTERVAL_MINUTES} (15; 0 turns the job off)
 * @param jsonLogs                {@code LOG_FORMAT=json} (else {@code text})
 */
public record AppConfig(
        String appEnv,
        String defaultMarket,
        String serverHost,
        int serverPort,
        String corsAllowedOrigins,
        long maxPayloadBytes,
        Limits limits,
        Database db,
        ContextKeys contextKeys,
        String jwtSecret,
        Duration jwtTtl,
        String smsMode,
        AuthSettings auth,
        ListTotals listTotals,
        Duration revenueSnapshotInterval,
        boolean jsonLogs,
        Embedded embedded) {
    /**
     * Twice the cores: more connections than the CPUs can serve only queue inside the database, where
     * the CPU scheduler makes some requests wait far longer than others (docs/BENCHMARKS.md, "The tail").
     */
    public static final int DEFAULT_POOL_SIZE = 2 * Runtime.getRuntime().availableProcessors();

    /** Used only when APP_ENV=dev and JWT_SECRET is unset; never in production. */
    static final String DEV_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef";
    /** Used only when APP_ENV=dev and DB_CONTEXT_KEY is unset; never in production. */
    static final String DEV_CONTEXT_KEY = "dev-only-context-key-change-me-0123456789";
    private static final String SMS_URL_PREFIX = "SMS_HTTP_URL_";
    private static final String SMS_TOKEN_PREFIX = "SMS_HTTP_TOKEN_";

    /** {@code env} with {@code changes} laid over it: another database, lower limits, a test's settings. */
    public static AppConfig fromEnv(Map<String, String> env, Map<String, String> changes) {
        Map<String, String> merged = new HashMap<>(env);
        merged.putAll(changes);
        return fromEnv(merged);
    }

    /** Reads {@code vars} ({@code System.getenv()} in production); a bad value stops here, with one line. */
    public static AppConfig fromEnv(Map<String, String> vars) {
        Env env = new Env(vars);
        String appEnv = env.text("APP_ENV", "prod");
        boolean dev = "dev".equals(appEnv);
        int statementTimeout = env.number("DB_STATEMENT_TIMEOUT_MS", 5000);
        String dbUrl = env.raw("DB_URL");
        return new AppConfig(
                appEnv,
                env.text("MARKET_DEFAULT", "KG"),
                env.text("SERVER_HOST", "0.0.0.0"),
                env.number("SERVER_PORT", 8080),
                env.text("CORS_ALLOWED_ORIGINS", ""),
                env.number("MAX_PAYLOAD_BYTES", 64 * 1024),
                new Limits(
                        env.number("MAX_HEADER_BYTES", 16 * 1024),
                        env.number("MAX_REQUEST_LINE_BYTES", 2048),
                        env.number("MAX_PAGE_SIZE", 100),
                        Duration.ofMillis(env.number("DB_CONNECT_TIMEOUT_MS", 3000)),
                        Duration.ofMillis(env.number("DB_SOCKET_TIMEOUT_MS", statementTimeout + 5000))),
                new Database(
                        env.text("DB_URL", "jdbc:postgresql://localhost:5432/market"),
                        env.text("DB_USER", "market_app"),
                        env.text("DB_PASSWORD", "market_app"),
                        env.text("DB_MIGRATION_USER", "market_owner"),
                        env.text("DB_MIGRATION_PASSWORD", "market_owner"),
                        env.text("DB_DBA_PASSWORD", "market_dba"),
                        env.url("DB_MIGRATION_URL"),
                        env.url("DB_READ_URL"),
                        env.text("DB_ADMIN_URL", "jdbc:postgresql://localhost:5432/postgres?user=postgres"),
                        !"false".equalsIgnoreCase(env.text("MIGRATE_ON_START", "true").trim()),
                        env.number("DB_POOL_SIZE", DEFAULT_POOL_SIZE),
                        Duration.ofMillis(env.number("DB_POOL_TIMEOUT_MS", 3000)),
                        Duration.ofMillis(statementTimeout)),
                new ContextKeys(env.secret("DB_CONTEXT_KEY", dev ? DEV_CONTEXT_KEY : null),
                        env.secret("DB_CONTEXT_KEY_PREVIOUS", null),
                        Duration.ofSeconds(env.number("DB_CONTEXT_TTL_SECONDS", 60))),
                env.secret("JWT_SECRET", dev ? DEV_JWT_SECRET : null),
                Duration.ofSeconds(env.number("JWT_TTL_SECONDS", 3600)),
                env.text("SMS_MODE", "outbox"),
                auth(env),
                listTotals(env),
                Duration.ofMinutes(env.whole("REVENUE_SNAPSHOT_INTERVAL_MINUTES", 15, 24 * 60,
                        "a number of minutes from 0 to 1440")),
                env.logFormatIsJson(),
                new Embedded("embedded".equals(dbUrl), Env.blank(dbUrl) && Env.blank(env.raw("DB_ADMIN_URL")),
                        Path.of(env.text("EMBEDDED_PG_DIR", Embedded.DEFAULT_DIR))));
    }

    private static ListTotals listTotals(Env env) {
        if (Env.blank(env.raw("LIST_TOTALS_TTL_MS"))) {
            return new ListTotals(Duration.ofSeconds(5), Duration.ofSeconds(3));
        }
        Duration ttl = Duration.ofMillis(env.count("LIST_TOTALS_TTL_MS", 0));
        return new ListTotals(ttl, ttl);
    }

    private static AuthSettings auth(Env env) {
        Map<String, URI> urls = new TreeMap<>();
        Map<String, String> tokens = new TreeMap<>();
        env.vars().forEach((name, value) -> {
            if (Env.blank(value)) {
                return;
            }
            if (name.startsWith(SMS_URL_PREFIX)) {
                urls.put(market(name, SMS_URL_PREFIX), httpUri(name, value.trim()));
            } else if (name.startsWith(SMS_TOKEN_PREFIX)) {
                tokens.put(market(name, SMS_TOKEN_PREFIX), value.trim());
            }
        });
        return new AuthSettings(env.secret("CODE_HASH_KEY", null),
                env.count("AUTH_IP_CODES_PER_HOUR", 30),
                env.count("AUTH_IP_TOKEN_TRIES_PER_HOUR", 60),
                urls, tokens,
                Duration.ofMillis(env.count("SMS_HTTP_TIMEOUT_MS", 5000)),
                new AuthSettings.PhoneLimits(env.count("AUTH_PHONE_RESEND_SECONDS", 60),
                        env.count("AUTH_PHONE_CODES_PER_HOUR", 5),
                        env.count("AUTH_CODE_TRIES", 5)),
                new SessionSettings(Duration.ofSeconds(env.count("REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600)),
                        Duration.ofSeconds(env.count("REFRESH_REUSE_GRACE_SECONDS", 10)),
                        env.count("AUTH_IP_REFRESHES_PER_HOUR", 300)));
    }

    /** The market of {@code SMS_HTTP_URL_KG}-style names. */
    private static String market(String name, String prefix) {
        String market = name.substring(prefix.length());
        if (!market.matches("[A-Z]{2}")) {
            throw new IllegalStateException(name + ": expected " + prefix + "<MARKET>, e.g. " + prefix + "KG");
        }
        return market;
    }

    private static URI httpUri(String name, String value) {
        try {
            URI uri = URI.create(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " must be an http(s) URL");
        }
    }

    /** The JWT secret, refusing to run without one that is long enough. */
    public byte[] jwtSecretBytes() {
        return keyBytes(jwtSecret, "JWT_SECRET");
    }

    private static byte[] keyBytes(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set (a dev default exists only with APP_ENV=dev)");
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalStateException(name + " must be at least 32 bytes");
        }
        return bytes;
    }

    /**
     * Where and as whom the process reaches PostgreSQL (default in brackets).
     *
     * @param url               {@code DB_URL} (jdbc:postgresql://localhost:5432/market): the request pool's database
     * @param user              {@code DB_USER} (market_app): the request pool's login role
     * @param password          {@code DB_PASSWORD} (market_app)
     * @param migrationUser     {@code DB_MIGRATION_USER} (market_owner): migrations and the maintenance commands
     * @param migrationPassword {@code DB_MIGRATION_PASSWORD} (market_owner)
     * @param dbaPassword       {@code DB_DBA_PASSWORD} (market_dba): the DBAs' login role, which may only enter a
     *                          context signed for it ({@code context}); {@code bootstrap} sets it where it has none
     * @param migrationUrl      {@code DB_MIGRATION_URL}, or null: see {@link #ownerUrl()}
     * @param readUrl           {@code DB_READ_URL}, or null: a replica for guests' catalog reads
     * @param adminUrl          {@code DB_ADMIN_URL}: a superuser connection, for {@code bootstrap} only
     * @param migrateOnStart    {@code MIGRATE_ON_START} (true); false: {@code serve} uses no owner credentials
     * @param poolSize          {@code DB_POOL_SIZE} (twice the cores): connections in the request pool
     * @param poolTimeout       {@code DB_POOL_TIMEOUT_MS} (3000): wait for a pooled connection before a 503
     * @param statementTimeout  {@code DB_STATEMENT_TIMEOUT_MS} (5000): per statement, set in the context statement
     */
    public record Database(String url, String user, String password, String migrationUser, String migrationPassword,
                           String dbaPassword, String migrationUrl, String readUrl, String adminUrl, boolean migrateOnStart, int poolSize,
                           Duration poolTimeout, Duration statementTimeout) {

        /**
         * Where the owner's connections go (migrations, maintenance commands): {@code DB_MIGRATION_URL},
         * else {@code DB_URL}. Set it when DB_URL is a transaction pooler: Flyway's session-level locks need
         * a direct connection (docs/SCALING.md).
         */
        public String ownerUrl() {
            return migrationUrl == null ? url : migrationUrl;
        }
    }

    /**
     * The keys that sign request contexts for the database (db-policies/README.md, "The request context").
     *
     * @param current  {@code DB_CONTEXT_KEY}: signs every context; `migrate` installs it (a dev default
     *                 exists only with APP_ENV=dev)
     * @param previous {@code DB_CONTEXT_KEY_PREVIOUS} (optional): still accepted during a rotation
     * @param ttl      {@code DB_CONTEXT_TTL_SECONDS} (60): how long a signed context may start a transaction
     */
    public record ContextKeys(String current, String previous, Duration ttl) {

        /** The signing key, refusing to run without one that is long enough. */
        public ContextKey signer(Clock clock) {
            return new ContextKey(keyBytes(current, "DB_CONTEXT_KEY"), ttl, clock);
        }

        /** Every key `migrate` installs: the current one and, during a rotation, the previous one. */
        public List<ContextKey> installable() {
            List<ContextKey> keys = new ArrayList<>();
            keys.add(signer(Clock.systemUTC()));
            if (previous != null) {
                keys.add(new ContextKey(keyBytes(previous, "DB_CONTEXT_KEY_PREVIOUS"), ttl, Clock.systemUTC()));
            }
            return keys;
        }
    }

    /**
     * Limits that bound what one request may cost, each from an environment variable (default in brackets).
     *
     * @param maxHeaderBytes      {@code MAX_HEADER_BYTES} (16384): all request headers together; 431 above
     * @param maxRequestLineBytes {@code MAX_REQUEST_LINE_BYTES} (2048): method, path, query and version; 414 above
     * @param maxPageSize         {@code MAX_PAGE_SIZE} (100): the largest {@code size} of a list page; 400 above
     * @param dbConnectTimeout    {@code DB_CONNECT_TIMEOUT_MS} (3000): opening a database connection
     * @param dbSocketTimeout     {@code DB_SOCKET_TIMEOUT_MS} (statement timeout + 5000): waiting for any one
     *                            answer of the database on an open connection (a hung server or network)
     */
    public record Limits(int maxHeaderBytes, int maxRequestLineBytes, int maxPageSize, Duration dbConnectTimeout,
                         Duration dbSocketTimeout) {
        public Limits {
            if (maxHeaderBytes < 1024 || maxRequestLineBytes < 256 || maxPageSize < 1) {
                throw new IllegalStateException("MAX_HEADER_BYTES must be >= 1024, MAX_REQUEST_LINE_BYTES >= 256"
                        + " and MAX_PAGE_SIZE >= 1");
            }
            if (dbConnectTimeout.toMillis() < 1 || dbSocketTimeout.toMillis() < 1) {
                throw new IllegalStateException("DB_CONNECT_TIMEOUT_MS and DB_SOCKET_TIMEOUT_MS must be > 0");
            }
        }
    }

    /**
     * How long a large list's total is reused per market and filter ({@code LIST_TOTALS_TTL_MS}; 0 counts
     * every time). Unset, each list has its own default: the catalog 5 s, a manager's lists (orders,
     * products) 3 s.
     */
    public record ListTotals(Duration catalog, Duration manager) {
    }

    /**
     * The embedded PostgreSQL ({@link EmbeddedDefault}).
     *
     * @param asked    {@code DB_URL=embedded}
     * @param fallback neither {@code DB_URL} nor {@code DB_ADMIN_URL} is set: embedded unless a PostgreSQL
     *                 answers at localhost:5432
     * @param dir      {@code EMBEDDED_PG_DIR} ({@value #DEFAULT_DIR}): the cluster's data folder
     */
    public record Embedded(boolean asked, boolean fallback, Path dir) {
        static final String DEFAULT_DIR = "data/embedded-postgres";
    }

    /** The variables being read, and the one rule per kind of value. */
    private record Env(Map<String, String> vars) {
        static boolean blank(String v) {
            return v == null || v.isBlank();
        }

        String raw(String name) {
            return vars.get(name);
        }

        String text(String name, String fallback) {
            return vars.getOrDefault(name, fallback);
        }

        /** A URL that may be left out (null). */
        String url(String name) {
            String v = vars.get(name);
            return blank(v) ? null : v.trim();
        }

        /** A key, taken byte for byte; unset or blank is {@code fallback}. */
        String secret(String name, String fallback) {
            String v = vars.get(name);
            return blank(v) ? fallback : v;
        }

        int number(String name, int fallback) {
            String v = vars.get(name);
            if (blank(v)) {
                return fallback;
            }
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalStateException(name + " must be a number, got: " + v);
            }
        }

        /** A count or a duration that may not be negative. */
        int count(String name, int fallback) {
            return whole(name, fallback, Integer.MAX_VALUE, "a whole number >= 0");
        }

        int whole(String name, int fallback, int max, String rule) {
            String v = vars.get(name);
            if (blank(v)) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.trim());
                if (n < 0 || n > max) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalStateException(name + " must be " + rule + ", got: " + v);
            }
        }

        boolean logFormatIsJson() {
            String format = text("LOG_FORMAT", "text");
            if (!format.equals("text") && !format.equals("json")) {
                throw new IllegalStateException("LOG_FORMAT must be text or json, got: " + format);
            }
            return format.equals("json");
        }
    }
}
