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

/** Per client address: at most N refreshes an hour, valid or not, across users and markets. */
@ServerTest
class RefreshThrottleTest {
    private final Api api;

    RefreshThrottleTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, Login.app(Map.of("AUTH_IP_REFRESHES_PER_HOUR", "3")));
    }

    @Test
    void oneAddressRefreshesAtMostThreeTimesAnHour() throws Exception {
        Sessions.Grant kg = Api.login(Fixtures.user("KG"), "KG", false);
        Sessions.Grant us = Api.login(Fixtures.user("US"), "US", false);
        String next = refresh(kg.refreshToken()).expect(200).get("refresh_token").asText();
        refresh(RefreshTokens.create()).problem(401);
        refresh(us.refreshToken()).expect(200);

        Api.Res res = refresh(next);
        res.problem(429);
        assertThat(Long.parseLong(res.header("Retry-After")), allOf(greaterThanOrEqualTo(1L), lessThanOrEqualTo(3600L)));
        // refused before the token was looked at: it is still the session's current one
        assertThat(Login.count("SELECT count(*) FROM refresh_tokens WHERE token_hash = ? AND rotated_at IS NULL",
                RefreshTokens.hash(next)), is(1L));
    }

    private Api.Res refresh(String token) {
        return api.post("/api/auth/refresh", null, Map.of("refresh_token", token));
    }
}
