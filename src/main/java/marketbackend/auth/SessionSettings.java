package marketbackend.auth;

import java.time.Duration;

/**
 * Settings of login sessions, read from the environment by {@link marketbackend.AppConfig}.
 *
 * @param refreshTtl        {@code REFRESH_TOKEN_TTL_SECONDS} (2592000 = 30 days): a session ends when its
 *                          refresh token is not exchanged for this long; each exchange starts it anew
 * @param reuseGrace        {@code REFRESH_REUSE_GRACE_SECONDS} (10): for this long after an exchange, the
 *                          exchanged token is refused (409) without ending the session; later it is reuse
 * @param refreshesPerHour  {@code AUTH_IP_REFRESHES_PER_HOUR} (300): refreshes per client address and hour
 *                          (0 = no limit)
 */
public record SessionSettings(Duration refreshTtl, Duration reuseGrace, int refreshesPerHour) {
    public SessionSettings {
        if (refreshTtl.toSeconds() < 60 || reuseGrace.isNegative() || reuseGrace.compareTo(refreshTtl) >= 0) {
            throw new IllegalStateException("REFRESH_TOKEN_TTL_SECONDS must be >= 60 and"
                    + " REFRESH_REUSE_GRACE_SECONDS below it");
        }
    }
}
