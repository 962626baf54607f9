package marketbackend.auth;

import java.util.Map;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import marketbackend.Server;
import marketbackend.support.Api;
import marketbackend.support.Fixtures;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/** Per client address: at most N code requests and M code checks an hour, across phones and markets. */
@ServerTest
class LoginThrottleTest {
    private final Api api;

    LoginThrottleTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, Login.app(Map.of("AUTH_IP_CODES_PER_HOUR", "3", "AUTH_IP_TOKEN_TRIES_PER_HOUR", "4")));
    }

    @Test
    void oneAddressAsksForCodesForManyPhones() {
        Login.requestCode(api, Fixtures.phone("KG")).expect(202);
        Login.requestCode(api, Fixtures.phone("US")).expect(202);
        Login.requestCode(api, Fixtures.phone("KG")).expect(202);
        String fourth = Fixtures.phone("US");
        Api.Res res = Login.requestCode(api, fourth);
        res.problem(429);
        assertThat(Long.parseLong(res.header("Retry-After")), allOf(greaterThanOrEqualTo(1L), lessThanOrEqualTo(3600L)));
        assertThat(Login.count("SELECT count(*) FROM verification_codes WHERE phone = ?", fourth), is(0L));
    }

    @Test
    void oneAddressGuessesCodesForManyPhones() {
        for (int i = 0; i < 4; i++) {
            Login.token(api, Fixtures.phone(i % 2 == 0 ? "KG" : "US"), "123456").problem(401);
        }
        Api.Res res = Login.token(api, Fixtures.phone("KG"), "123456");
        res.problem(429);
        assertThat(Long.parseLong(res.header("Retry-After")), allOf(greaterThanOrEqualTo(1L), lessThanOrEqualTo(3600L)));
    }
}
