package marketbackend;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import marketbackend.auth.AuthSettings;

/**
 * Every setting of the server, read from environment variables. Each has a working local default,
 * except {@code JWT_SECRET}, which only has one when {@code APP_ENV=dev}.
 */
public record AppConfig(
        String dbUrl,
        String dbUser,
        String dbPassword,
        String migrationUser,
        String migrationPassword,
        String adminUrl,
        int serverPort,
        String appEnv,
        String jwtSecret,
        String defaultMarket,
        String smsMode,
        int poolSize,
        Duration poolTimeout,
        Duration statementTimeout,
        long maxPayloadBytes,
        java.time.Duration jwtTtl,
        AuthSettings auth,
        Limits limits,
        String serverHost,
        ContextKeys contextKeys,
        boolean migrateOnStart,
        String corsAllowedOrigins,
        String migrationUrl,
        String readUrl) {

    /** Used only when APP_ENV=dev and JWT_SECRET is unset; never in production. */
    static final String DEV_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef";
    /** Used only when APP_ENV=dev and DB_CONTEXT_KEY is unset; never in production. */
    static final String DEV_CONTEXT_KEY = "dev-only-context-key-change-me-0123456789";

    public static AppConfig fromEnv() {
        return fromEnv(System.getenv());
    }

    public static AppConfig fromEnv(Map<String, String> env) {
        String appEnv = env.getOrDefault("APP_ENV", "prod");
        String secret = env.get("JWT_SECRET");
        if ((secret == null || secret.isBlank()) && "dev".equals(appEnv)) {
            secret = DEV_JWT_SECRET;
        }
        return new AppConfig(
                env.getOrDefault("DB_URL", "jdbc:postgresql://localhost:5432/market"),
                env.getOrDefault("DB_USER", "market_app"),
                env.getOrDefault("DB_PASSWORD", "market_app"),
                env.getOrDefault("DB_MIGRATION_USER", "market_owner"),
                env.getOrDefault("DB_MIGRATION_PASSWORD", "market_owner"),
                env.getOrDefault("DB_ADMIN_URL", "jdbc:postgresql://localhost:5432/postgres?user=postgres"),
                intValue(env, "SERVER_PORT", 8080),
                appEnv,
                secret,
                env.getOrDefault("MARKET_DEFAULT", "KG"),
                env.getOrDefault("SMS_MODE", "outbox"),
                intValue(env, "DB_POOL_SIZE", 10),
                Duration.ofMillis(intValue(env, "DB_POOL_TIMEOUT_MS", 3000)),
                Duration.ofMillis(intValue(env, "DB_STATEMENT_TIMEOUT_MS", 5000)),
                intValue(env, "MAX_PAYLOAD_BYTES", 64 * 1024),
                Duration.ofSeconds(intValue(env, "JWT_TTL_SECONDS", 3600)),
                AuthSettings.fromEnv(env),
                Limits.fromEnv(env),
                env.getOrDefault("SERVER_HOST", "0.0.0.0"),
                ContextKeys.fromEnv(env, appEnv),
                !"false".equalsIgnoreCase(env.getOrDefault("MIGRATE_ON_START", "true").trim()),
                env.getOrDefault("CORS_ALLOWED_ORIGINS", ""),
                blankToNull(env.get("DB_MIGRATION_URL")),
                blankToNull(env.get("DB_READ_URL")));
    }

    /**
     * Where the owner's connections go (migrations, maintenance commands): {@code DB_MIGRATION_URL},
     * else {@code DB_URL}. Set it when DB_URL is a transaction pooler: Flyway's session-level locks need a
     * direct connection (docs/SCALING.md).
     */
    public String ownerUrl() {
        return migrationUrl == null ? dbUrl : migrationUrl;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
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
        static ContextKeys fromEnv(Map<String, String> env, String appEnv) {
            String current = env.get("DB_CONTEXT_KEY");
            if ((current == null || current.isBlank()) && "dev".equals(appEnv)) {
                current = DEV_CONTEXT_KEY;
            }
            String previous = env.get("DB_CONTEXT_KEY_PREVIOUS");
            return new ContextKeys(current, previous == null || previous.isBlank() ? null : previous,
                    Duration.ofSeconds(intValue(env, "DB_CONTEXT_TTL_SECONDS", 60)));
        }

        /** The signing key, refusing to run without one that is long enough. */
        public marketbackend.db.ContextKey signer(java.time.Clock clock) {
            return key(current, "DB_CONTEXT_KEY", clock);
        }

        /** Every key `migrate` installs: the current one and, during a rotation, the previous one. */
        public java.util.List<marketbackend.db.ContextKey> installable() {
            java.util.List<marketbackend.db.ContextKey> keys = new java.util.ArrayList<>();
            keys.add(signer(java.time.Clock.systemUTC()));
            if (previous != null) {
                keys.add(key(previous, "DB_CONTEXT_KEY_PREVIOUS", java.time.Clock.systemUTC()));
            }
            return keys;
        }

        private marketbackend.db.ContextKey key(String value, String name, java.time.Clock clock) {
            if (value == null || value.isBlank()) {
                throw new IllegalStateException(name + " is not set (a dev default exists only with APP_ENV=dev)");
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) {
                throw new IllegalStateException(name + " must be at least 32 bytes");
            }
            return new marketbackend.db.ContextKey(bytes, ttl, clock);
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

        static Limits fromEnv(Map<String, String> env) {
            int statementTimeout = intValue(env, "DB_STATEMENT_TIMEOUT_MS", 5000);
            return new Limits(
                    intValue(env, "MAX_HEADER_BYTES", 16 * 1024),
                    intValue(env, "MAX_REQUEST_LINE_BYTES", 2048),
                    intValue(env, "MAX_PAGE_SIZE", 100),
                    Duration.ofMillis(intValue(env, "DB_CONNECT_TIMEOUT_MS", 3000)),
                    Duration.ofMillis(intValue(env, "DB_SOCKET_TIMEOUT_MS", statementTimeout + 5000)));
        }

        public Limits withMaxPageSize(int size) {
            return new Limits(maxHeaderBytes, maxRequestLineBytes, size, dbConnectTimeout, dbSocketTimeout);
        }
    }

    /** The JWT secret, refusing to run without one that is long enough. */
    public byte[] jwtSecretBytes() {
        if (jwtSecret == null || jwtSecret.isBlank()) {
            throw new IllegalStateException("JWT_SECRET is not set (a dev default exists only with APP_ENV=dev)");
        }
        byte[] bytes = jwtSecret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalStateException("JWT_SECRET must be at least 32 bytes");
        }
        return bytes;
    }

    /** Another database, reached directly by the pool and the owner alike. */
    public AppConfig withDbUrl(String url) {
        return new AppConfig(url, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, smsMode, poolSize, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl, auth, limits, serverHost, contextKeys, migrateOnStart, corsAllowedOrigins, null, readUrl);
    }

    /** The pool through {@code pooledUrl} (a transaction pooler), the owner still directly; no migration on start. */
    public AppConfig behindPooler(String pooledUrl) {
        return new AppConfig(pooledUrl, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, smsMode, poolSize, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl, auth, limits, serverHost, contextKeys, false, corsAllowedOrigins, ownerUrl(), readUrl);
    }

    public AppConfig withAdminUrl(String url) {
        return new AppConfig(dbUrl, dbUser, dbPassword, migrationUser, migrationPassword, url, serverPort, appEnv,
                jwtSecret, defaultMarket, smsMode, poolSize, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl, auth, limits, serverHost, contextKeys, migrateOnStart, corsAllowedOrigins, migrationUrl, readUrl);
    }

    public AppConfig withCorsAllowedOrigins(String origins) {
        return new AppConfig(dbUrl, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, smsMode, poolSize, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl, auth, limits, serverHost, contextKeys, migrateOnStart, origins, migrationUrl, readUrl);
    }

    public AppConfig withPoolSize(int size) {
        return new AppConfig(dbUrl, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, smsMode, size, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl, auth, limits, serverHost, contextKeys, migrateOnStart, corsAllowedOrigins, migrationUrl, readUrl);
    }

    public AppConfig withAuth(AuthSettings settings) {
        return new AppConfig(dbUrl, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, smsMode, poolSize, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl,
                settings, limits, serverHost, contextKeys, migrateOnStart, corsAllowedOrigins, migrationUrl, readUrl);
    }

    public AppConfig withSmsMode(String mode) {
        return new AppConfig(dbUrl, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, mode, poolSize, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl, auth, limits, serverHost, contextKeys, migrateOnStart, corsAllowedOrigins, migrationUrl, readUrl);
    }

    public AppConfig withLimits(Limits l) {
        return new AppConfig(dbUrl, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, smsMode, poolSize, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl, auth, l, serverHost, contextKeys, migrateOnStart, corsAllowedOrigins, migrationUrl, readUrl);
    }

    public AppConfig withPoolTimeouts(Duration pool, Duration statement) {
        return new AppConfig(dbUrl, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, smsMode, poolSize, pool, statement, maxPayloadBytes, jwtTtl, auth, limits, serverHost, contextKeys, migrateOnStart, corsAllowedOrigins, migrationUrl, readUrl);
    }

    public AppConfig withMaxPayloadBytes(long bytes) {
        return new AppConfig(dbUrl, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, smsMode, poolSize, poolTimeout, statementTimeout, bytes, jwtTtl, auth, limits, serverHost, contextKeys, migrateOnStart, corsAllowedOrigins, migrationUrl, readUrl);
    }

    private static int intValue(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a number, got: " + v);
        }
    }
}
