package marketbackend.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import marketbackend.AppConfig;
import marketbackend.support.TestApp;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Login settings from the environment, the address limiter, and refusing to start half-configured. */
class AuthSettingsTest {

    @Test
    void defaults() {
        AuthSettings s = AppConfig.fromEnv(Map.of()).auth();
        assertThat(s.codeHashKey() == null, is(true));
        assertThat(s.ipCodesPerHour(), is(30));
        assertThat(s.ipTokenTriesPerHour(), is(60));
        assertThat(s.smsHttpUrls().isEmpty(), is(true));
        assertThat(s.smsHttpTimeout(), is(Duration.ofSeconds(5)));
        assertThat(s.sessions(), is(new SessionSettings(Duration.ofDays(30), Duration.ofSeconds(10), 300)));
    }

    @Test
    void sessionSettingsFromTheEnvironment() {
        AuthSettings s = AppConfig.fromEnv(Map.of("REFRESH_TOKEN_TTL_SECONDS", "86400",
                "REFRESH_REUSE_GRACE_SECONDS", "0", "AUTH_IP_REFRESHES_PER_HOUR", "0")).auth();
        assertThat(s.sessions(), is(new SessionSettings(Duration.ofDays(1), Duration.ZERO, 0)));
    }

    @ParameterizedTest
    @CsvSource({"REFRESH_TOKEN_TTL_SECONDS, 59", "REFRESH_REUSE_GRACE_SECONDS, 2592000", "AUTH_IP_REFRESHES_PER_HOUR, -1",
            "REFRESH_TOKEN_TTL_SECONDS, 30d"})
    void badSessionSettingsStopTheServer(String name, String value) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AppConfig.fromEnv(Map.of(name, value)));
        assertThat(e.getMessage(), containsString(name));
    }

    @Test
    void smsEndpointsPerMarket() {
        AuthSettings s = AppConfig.fromEnv(Map.of("SMS_HTTP_URL_KG", "https://sms.example.kg/send",
                "SMS_HTTP_URL_US", "http://127.0.0.1:9000/us", "SMS_HTTP_TOKEN_US", "secret",
                "AUTH_IP_CODES_PER_HOUR", "0")).auth();
        assertThat(s.smsHttpUrls(), is(Map.of("KG", URI.create("https://sms.example.kg/send"),
                "US", URI.create("http://127.0.0.1:9000/us"))));
        assertThat(s.smsHttpTokens(), is(Map.of("US", "secret")));
        assertThat(s.ipCodesPerHour(), is(0));
    }

    @ParameterizedTest
    @CsvSource({"SMS_HTTP_URL_kg, https://x.kg", "SMS_HTTP_URL_KGZ, https://x.kg", "SMS_HTTP_URL_KG, ftp://x.kg",
            "SMS_HTTP_URL_KG, not a url", "AUTH_IP_CODES_PER_HOUR, -1", "AUTH_IP_TOKEN_TRIES_PER_HOUR, many",
            "SMS_HTTP_TIMEOUT_MS, 5s", "CODE_HASH_KEY, too-short"})
    void badValuesStopTheServer(String name, String value) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AppConfig.fromEnv(Map.of(name, value)));
        assertThat(e.getMessage(), containsString(name.startsWith("SMS_HTTP_URL") ? "SMS_HTTP_URL" : name));
    }

    @Test
    void httpModeNeedsAnEndpointForEveryMarket() {
        var app = TestApp.get();
        var onlyKg = TestDatabase.get().config(Map.of("SMS_MODE", "http", "SMS_HTTP_URL_KG", "http://127.0.0.1:9"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AuthService(onlyKg, app.db(), app.markets(), app.sessions()));
        assertThat(e.getMessage(), containsString("SMS_HTTP_URL_US"));
        var pigeon = TestDatabase.get().config(Map.of("SMS_MODE", "pigeon"));
        assertThrows(IllegalStateException.class,
                () -> new AuthService(pigeon, app.db(), app.markets(), app.sessions()));
    }

    @Test
    void codeHashKeyReplacesTheDerivedKey() {
        byte[] jwt = "a-jwt-secret-of-at-least-32-bytes-long".getBytes();
        LoginCodes derived = LoginCodes.create(AppConfig.fromEnv(Map.of()).auth(), jwt);
        LoginCodes own = LoginCodes.create(AppConfig.fromEnv(Map.of("CODE_HASH_KEY", "k".repeat(32))).auth(), jwt);
        assertThat(derived.hash("+996700000001", "123456").equals(own.hash("+996700000001", "123456")), is(false));
        assertThat(derived.hash("+996700000001", "123456"), is(derived.hash("+996700000001", "123456")));
        // bound to the phone: the same code for another phone has another hash
        assertThat(derived.hash("+996700000002", "123456").equals(derived.hash("+996700000001", "123456")), is(false));
    }

    @Test
    void addressLimiterSlides() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(2, Duration.ofSeconds(100), now::get);
        assertThat(limiter.acquire("a"), is(0L));
        now.set(Duration.ofSeconds(30).toNanos());
        assertThat(limiter.acquire("a"), is(0L));
        assertThat(limiter.acquire("b"), is(0L));
        // full: the first hit leaves the window at 100 s
        assertThat(limiter.acquire("a"), is(70L));
        now.set(Duration.ofSeconds(100).toNanos());
        assertThat(limiter.acquire("a"), is(0L));
        assertThat(limiter.acquire("a"), is(30L));
        assertThat(new RateLimiter(0, Duration.ofSeconds(1), now::get).acquire("a"), is(0L));
    }
}
