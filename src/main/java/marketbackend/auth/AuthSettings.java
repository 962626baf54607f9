package marketbackend.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of phone login and SMS delivery, read from the environment.
 *
 * @param codeHashKey          {@code CODE_HASH_KEY}: key of the HMAC that stores login codes; null = derived
 *                             from {@code JWT_SECRET}
 * @param ipCodesPerHour       {@code AUTH_IP_CODES_PER_HOUR} (30): code requests per client address and hour
 * @param ipTokenTriesPerHour  {@code AUTH_IP_TOKEN_TRIES_PER_HOUR} (60): code checks per client address and hour
 * @param smsHttpUrls          {@code SMS_HTTP_URL_<MARKET>}: the HTTP SMS endpoint of each market (SMS_MODE=http)
 * @param smsHttpTokens        {@code SMS_HTTP_TOKEN_<MARKET>}: optional bearer token for that endpoint
 * @param smsHttpTimeout       {@code SMS_HTTP_TIMEOUT_MS} (5000): connect and request timeout of the SMS call
 * @param phone                per-phone limits, counted in the database (so across server instances)
 * @param sessions             refresh tokens and sessions
 */
public record AuthSettings(String codeHashKey, int ipCodesPerHour, int ipTokenTriesPerHour,
                           Map<String, URI> smsHttpUrls, Map<String, String> smsHttpTokens,
                           Duration smsHttpTimeout, PhoneLimits phone, SessionSettings sessions) {

    /**
     * @param resendSeconds {@code AUTH_PHONE_RESEND_SECONDS} (60): least time between two codes for one phone
     * @param codesPerHour  {@code AUTH_PHONE_CODES_PER_HOUR} (5): codes one phone may get in an hour (at least 1)
     * @param triesPerCode  {@code AUTH_CODE_TRIES} (5): checks of one code before it is locked (at least 1)
     */
    public record PhoneLimits(int resendSeconds, int codesPerHour, int triesPerCode) {
        public PhoneLimits {
            if (resendSeconds < 0 || codesPerHour < 1 || triesPerCode < 1) {
                throw new IllegalStateException("AUTH_PHONE_RESEND_SECONDS must be >= 0, AUTH_PHONE_CODES_PER_HOUR"
                        + " and AUTH_CODE_TRIES >= 1");
            }
        }
    }

    static final String URL_PREFIX = "SMS_HTTP_URL_";
    static final String TOKEN_PREFIX = "SMS_HTTP_TOKEN_";

    public AuthSettings {
        smsHttpUrls = Map.copyOf(smsHttpUrls);
        smsHttpTokens = Map.copyOf(smsHttpTokens);
        if (codeHashKey != null && codeHashKey.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalStateException("CODE_HASH_KEY must be at least 32 bytes");
        }
    }

    public static AuthSettings fromEnv(Map<String, String> env) {
        Map<String, URI> urls = new TreeMap<>();
        Map<String, String> tokens = new TreeMap<>();
        env.forEach((name, value) -> {
            if (value == null || value.isBlank()) {
                return;
            }
            if (name.startsWith(URL_PREFIX)) {
                urls.put(market(name, URL_PREFIX), uri(name, value.trim()));
            } else if (name.startsWith(TOKEN_PREFIX)) {
                tokens.put(market(name, TOKEN_PREFIX), value.trim());
            }
        });
        String key = env.get("CODE_HASH_KEY");
        return new AuthSettings(key == null || key.isBlank() ? null : key,
                number(env, "AUTH_IP_CODES_PER_HOUR", 30),
                number(env, "AUTH_IP_TOKEN_TRIES_PER_HOUR", 60),
                urls, tokens,
                Duration.ofMillis(number(env, "SMS_HTTP_TIMEOUT_MS", 5000)),
                new PhoneLimits(number(env, "AUTH_PHONE_RESEND_SECONDS", 60),
                        number(env, "AUTH_PHONE_CODES_PER_HOUR", 5),
                        number(env, "AUTH_CODE_TRIES", 5)),
                new SessionSettings(Duration.ofSeconds(number(env, "REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600)),
                        Duration.ofSeconds(number(env, "REFRESH_REUSE_GRACE_SECONDS", 10)),
                        number(env, "AUTH_IP_REFRESHES_PER_HOUR", 300)));
    }

    public static AuthSettings defaults() {
        return fromEnv(Map.of());
    }

    public AuthSettings withIpLimits(int codesPerHour, int tokenTriesPerHour) {
        return new AuthSettings(codeHashKey, codesPerHour, tokenTriesPerHour, smsHttpUrls, smsHttpTokens, smsHttpTimeout,
                phone, sessions);
    }

    public AuthSettings withPhoneLimits(PhoneLimits limits) {
        return new AuthSettings(codeHashKey, ipCodesPerHour, ipTokenTriesPerHour, smsHttpUrls, smsHttpTokens,
                smsHttpTimeout, limits, sessions);
    }

    public AuthSettings withSmsHttp(Map<String, URI> urls, Duration timeout) {
        return new AuthSettings(codeHashKey, ipCodesPerHour, ipTokenTriesPerHour, urls, smsHttpTokens, timeout, phone,
                sessions);
    }

    public AuthSettings withSessions(SessionSettings s) {
        return new AuthSettings(codeHashKey, ipCodesPerHour, ipTokenTriesPerHour, smsHttpUrls, smsHttpTokens,
                smsHttpTimeout, phone, s);
    }

    private static String market(String name, String prefix) {
        String market = name.substring(prefix.length());
        if (!market.matches("[A-Z]{2}")) {
            throw new IllegalStateException(name + ": expected " + prefix + "<MARKET>, e.g. " + prefix + "KG");
        }
        return market;
    }

    private static URI uri(String name, String value) {
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

    private static int number(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a whole number >= 0, got: " + v);
        }
    }
}
