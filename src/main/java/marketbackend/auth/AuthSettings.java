package marketbackend.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of phone login and SMS delivery, read from the environment by {@link marketbackend.AppConfig}.
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

    public AuthSettings {
        smsHttpUrls = Map.copyOf(smsHttpUrls);
        smsHttpTokens = Map.copyOf(smsHttpTokens);
        if (codeHashKey != null && codeHashKey.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalStateException("CODE_HASH_KEY must be at least 32 bytes");
        }
    }
}
