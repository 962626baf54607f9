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
        AuthSettings auth) {

    /** Used only when APP_ENV=dev and JWT_SECRET is unset; never in production. */
    static final String DEV_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef";

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
                AuthSettings.fromEnv(env));
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

    public AppConfig withDbUrl(String url) {
        return new AppConfig(url, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, smsMode, poolSize, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl, auth);
    }

    public AppConfig withServerPort(int port) {
        return new AppConfig(dbUrl, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, port, appEnv,
                jwtSecret, defaultMarket, smsMode, poolSize, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl, auth);
    }

    public AppConfig withPoolSize(int size) {
        return new AppConfig(dbUrl, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, smsMode, size, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl, auth);
    }

    public AppConfig withAuth(AuthSettings settings) {
        return new AppConfig(dbUrl, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, smsMode, poolSize, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl,
                settings);
    }

    public AppConfig withSmsMode(String mode) {
        return new AppConfig(dbUrl, dbUser, dbPassword, migrationUser, migrationPassword, adminUrl, serverPort, appEnv,
                jwtSecret, defaultMarket, mode, poolSize, poolTimeout, statementTimeout, maxPayloadBytes, jwtTtl, auth);
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
