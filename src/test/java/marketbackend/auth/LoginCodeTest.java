package marketbackend.auth;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.Server;
import marketbackend.support.Api;
import marketbackend.support.Fixtures;
import marketbackend.support.Parallel;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/**
 * The life of a login code: expiry, single use, a new code voids the old, five tries counted
 * atomically, and sending throttled per phone. Time is moved by editing rows as the owner.
 */
@ServerTest
class LoginCodeTest {
    private final Api api;

    LoginCodeTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, Login.generous());
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anExpiredCodeIsRefused(String market) {
        String phone = Fixtures.phone(market);
        Login.requestCode(api, phone).expect(202);
        String code = Login.lastCode(phone);
        Login.owner("UPDATE verification_codes SET expires_at = now() - interval '1 second' WHERE phone = ?", phone);
        Login.token(api, phone, code).problem(401);
        assertThat(users(phone), is(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aCodeWorksUntilItsTenMinutesAreUp(String market) {
        String phone = Fixtures.phone(market);
        Login.requestCode(api, phone).expect(202);
        assertThat(Login.count("SELECT count(*) FROM verification_codes WHERE phone = ?"
                + " AND expires_at BETWEEN created_at + interval '599 seconds' AND created_at + interval '601 seconds'",
                phone), is(1L));
        Login.owner("UPDATE verification_codes SET expires_at = now() + interval '5 seconds',"
                + " created_at = now() - interval '595 seconds' WHERE phone = ?", phone);
        Login.token(api, phone, Login.lastCode(phone)).expect(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aCodeWorksOnce(String market) {
        String phone = Fixtures.phone(market);
        Login.requestCode(api, phone).expect(202);
        String code = Login.lastCode(phone);
        Login.token(api, phone, code).expect(200);
        Login.token(api, phone, code).problem(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aNewCodeVoidsTheOldOne(String market) {
        String phone = Fixtures.phone(market);
        Login.requestCode(api, phone).expect(202);
        String first = Login.lastCode(phone);
        backdate(phone, 120);
        Login.requestCode(api, phone).expect(202);
        String second = Login.lastCode(phone);
        if (!first.equals(second)) {
            Login.token(api, phone, first).problem(401);
        }
        assertThat(Login.count("SELECT count(*) FROM verification_codes WHERE phone = ? AND consumed_at IS NULL",
                phone), is(1L));
        Login.token(api, phone, second).expect(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void fiveWrongTriesLockTheCodeEvenInParallel(String market) throws Exception {
        String phone = Fixtures.phone(market);
        Login.requestCode(api, phone).expect(202);
        String code = Login.lastCode(phone);
        String wrong = Login.other(code);

        List<Integer> statuses = Parallel.times(20, () -> Login.token(api, phone, wrong).status());

        assertThat(statuses.toString(), statuses.stream().filter(s -> s == 401).count(), is(5L));
        assertThat(statuses.toString(), statuses.stream().filter(s -> s == 429).count(), is(15L));
        assertThat(Login.count("SELECT max(attempts) FROM verification_codes WHERE phone = ?", phone), is(5L));

        // the right code is now refused too, and no user was made
        Api.Res locked = Login.token(api, phone, code);
        locked.problem(429);
        assertThat(Long.parseLong(locked.header("Retry-After")), greaterThanOrEqualTo(1L));
        assertThat(users(phone), is(0L));
        // a new code (after the resend interval) opens the door again
        backdate(phone, 120);
        Login.requestCode(api, phone).expect(202);
        Login.token(api, phone, Login.lastCode(phone)).expect(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void theRightCodeOnTheFifthTryStillWorks(String market) {
        String phone = Fixtures.phone(market);
        Login.requestCode(api, phone).expect(202);
        String code = Login.lastCode(phone);
        for (int i = 0; i < 4; i++) {
            Login.token(api, phone, Login.other(code)).problem(401);
        }
        Login.token(api, phone, code).expect(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aPhoneGetsOneCodePerMinute(String market) {
        String phone = Fixtures.phone(market);
        Login.requestCode(api, phone).expect(202);
        Api.Res again = Login.requestCode(api, phone);
        JsonNode p = again.problem(429);
        long retry = Long.parseLong(again.header("Retry-After"));
        // the phone's market served the request, also when it refused it
        assertThat(again.header("X-Market"), is(market));
        assertThat(retry, allOf(greaterThanOrEqualTo(1L), lessThanOrEqualTo(60L)));
        assertThat(p.get("retry_after").asLong(), is(retry));
        // refused means nothing written: one code, one SMS, and that code still works
        assertThat(Login.count("SELECT count(*) FROM verification_codes WHERE phone = ?", phone), is(1L));
        assertThat(Login.outbox(phone).size(), is(1));
        Login.token(api, phone, Login.lastCode(phone)).expect(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aPhoneGetsFiveCodesPerHour(String market) {
        String phone = Fixtures.phone(market);
        for (int minutesAgo : new int[] {10, 20, 30, 40, 50}) {
            Login.owner("INSERT INTO verification_codes (market, phone, code_hash, expires_at, created_at)"
                    + " VALUES (?, ?, 'x', now(), now() - make_interval(mins => ?))", market, phone, minutesAgo);
        }
        Api.Res res = Login.requestCode(api, phone);
        res.problem(429);
        // the oldest of the five leaves the hour in 10 minutes
        assertThat(Long.parseLong(res.header("Retry-After")), allOf(greaterThanOrEqualTo(590L), lessThanOrEqualTo(600L)));
        assertThat(Login.outbox(phone).size(), is(0));

        Login.owner("UPDATE verification_codes SET created_at = created_at - interval '11 minutes' WHERE phone = ?", phone);
        Login.requestCode(api, phone).expect(202);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void parallelRequestsForOnePhoneSendOneCode(String market) throws Exception {
        String phone = Fixtures.phone(market);
        List<Integer> statuses = Parallel.times(10, () -> Login.requestCode(api, phone).status());
        assertThat(statuses.toString(), statuses.stream().filter(s -> s == 202).count(), is(1L));
        assertThat(statuses.toString(), statuses.stream().filter(s -> s == 429).count(), is(9L));
        assertThat(Login.count("SELECT count(*) FROM verification_codes WHERE phone = ?", phone), is(1L));
        assertThat(Login.outbox(phone).size(), is(1));
    }

    @Test
    void codesNeverAppearInLogs() throws Exception {
        String phone = Fixtures.phone("KG");
        try (LogCapture log = new LogCapture()) {
            Login.requestCode(api, phone).expect(202);
            String code = Login.lastCode(phone);
            Login.token(api, phone, Login.other(code)).problem(401);
            Login.token(api, phone, code).expect(200);
            List<String> lines = log.linesWithAccessLines(3);
            assertThat("the access log was captured", lines.stream().filter(l -> l.startsWith("marketbackend.access "))
                    .count(), greaterThanOrEqualTo(3L));
            for (String line : lines) {
                assertThat(line, not(containsString(code)));
                assertThat(line, not(containsString(Login.other(code))));
            }
        }
    }

    private static void backdate(String phone, int seconds) {
        Login.owner("UPDATE verification_codes SET created_at = created_at - make_interval(secs => ?) WHERE phone = ?",
                seconds, phone);
    }

    private static long users(String phone) {
        return Login.count("SELECT count(*) FROM users WHERE phone = ?", phone);
    }
}
