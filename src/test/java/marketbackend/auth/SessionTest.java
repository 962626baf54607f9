package marketbackend.auth;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.Server;
import marketbackend.manager.GrantManager;
import marketbackend.support.Api;
import marketbackend.support.Fixtures;
import marketbackend.support.Parallel;
import marketbackend.support.Sql;
import marketbackend.support.TestApp;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Sessions end to end, in both markets: login hands out a refresh token, refresh rotates it and
 * detects reuse, logout and logout-all end sessions at once, and nobody reaches another user's session.
 */
@ServerTest
class SessionTest {
    private static final String REFUSED = "Invalid or expired refresh token";

    private final Api api;

    SessionTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, Login.generous());
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void loginHandsOutARefreshTokenStoredOnlyAsItsHash(String market) {
        String phone = Fixtures.phone(market);
        Login.requestCode(api, phone).expect(202);
        Api.Res res = api.call(Method.POST, "/api/auth/token", null, Map.of("phone", phone, "code", Login.lastCode(phone)),
                Map.of("User-Agent", "ShopApp/2.1 (iPhone)"));
        JsonNode body = res.expect(200);
        assertThat(res.header("Cache-Control"), is("no-store"));
        String refresh = body.get("refresh_token").asText();
        assertThat(refresh, refresh.matches("mbr_[A-Za-z0-9_-]{43}"), is(true));
        assertThat(body.get("refresh_expires_in").asLong(), is(30L * 24 * 3600));
        long user = body.get("user").get("id").asLong();

        assertThat(Login.count("SELECT count(*) FROM refresh_tokens WHERE token_hash = ? AND user_id = ? AND market = ?",
                RefreshTokens.hash(refresh), user, market), is(1L));
        assertThat(Login.count("SELECT count(*) FROM refresh_tokens WHERE token_hash = ? OR token_hash = ?",
                refresh, refresh.substring(4)), is(0L));
        assertThat(Login.count("SELECT count(*) FROM sessions WHERE user_id = ? AND market = ? AND user_agent = ?",
                user, market, "ShopApp/2.1 (iPhone)"), is(1L));
        api.get("/api/me", body.get("access_token").asText()).expect(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void refreshRotatesBothTokensWithinOneSession(String market) throws Exception {
        long user = Fixtures.user(market);
        Sessions.Grant first = Api.login(user, market, false);

        Api.Res res = refresh(first.refreshToken());
        JsonNode second = res.expect(200);
        assertThat(res.header("X-Market"), is(market));
        assertThat(res.header("Cache-Control"), is("no-store"));
        assertThat(second.get("token_type").asText(), is("Bearer"));
        assertThat(second.get("refresh_token").asText(), not(first.refreshToken()));
        assertThat(second.get("access_token").asText(), not(first.accessToken()));
        assertThat(api.get("/api/me", second.get("access_token").asText()).expect(200).get("id").asLong(), is(user));
        // one session: the older access token lives on with it
        api.get("/api/me", first.accessToken()).expect(200);
        JsonNode third = refresh(second.get("refresh_token").asText()).expect(200);
        assertThat(TestApp.get().sessions().authenticate("Bearer " + third.get("access_token").asText()).sessionId(),
                is(first.sessionId()));
        assertThat(Login.count("SELECT count(*) FROM refresh_tokens WHERE session_id = ?", first.sessionId()), is(3L));
        assertThat(Login.count("SELECT count(*) FROM refresh_tokens WHERE session_id = ? AND rotated_at IS NULL",
                first.sessionId()), is(1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anExchangedTokenAgainWithinTheGraceIntervalIsRefusedAndTheSessionLives(String market) throws Exception {
        Sessions.Grant login = Api.login(Fixtures.user(market), market, false);
        String next = refresh(login.refreshToken()).expect(200).get("refresh_token").asText();
        JsonNode problem = refresh(login.refreshToken()).problem(409);
        assertThat(problem.get("detail").asText(), containsString("use the refresh token of that answer"));
        refresh(next).expect(200);
        api.get("/api/me", login.accessToken()).expect(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void reuseAfterTheGraceIntervalEndsTheWholeSession(String market) throws Exception {
        Sessions.Grant login = Api.login(Fixtures.user(market), market, false);
        JsonNode next = refresh(login.refreshToken()).expect(200);
        Login.owner("UPDATE refresh_tokens SET rotated_at = rotated_at - interval '1 minute' WHERE token_hash = ?",
                RefreshTokens.hash(login.refreshToken()));

        assertThat(refresh(login.refreshToken()).problem(401).get("detail").asText(), is(REFUSED));
        assertThat(Login.count("SELECT count(*) FROM sessions WHERE id = ? AND end_reason = 'reuse'", login.sessionId()),
                is(1L));
        // the thief's or the owner's newer tokens: all of the session is gone
        refresh(next.get("refresh_token").asText()).problem(401);
        api.get("/api/me", next.get("access_token").asText()).problem(401);
        api.get("/api/me", login.accessToken()).problem(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void parallelRefreshesOfOneTokenHaveExactlyOneWinner(String market) throws Exception {
        Sessions.Grant login = Api.login(Fixtures.user(market), market, false);
        List<Api.Res> answers = Parallel.times(8, () -> refresh(login.refreshToken()));
        List<Integer> statuses = answers.stream().map(Api.Res::status).toList();
        assertThat(statuses.toString(), statuses.stream().filter(s -> s == 200).count(), is(1L));
        assertThat(statuses.toString(), statuses.stream().filter(s -> s == 409).count(), is(7L));
        String winner = answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow()
                .json().get("refresh_token").asText();
        refresh(winner).expect(200);
        api.get("/api/me", login.accessToken()).expect(200);
        assertThat(Login.count("SELECT count(*) FROM sessions WHERE id = ? AND ended_at IS NULL", login.sessionId()), is(1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void logoutEndsThisSessionAtOnce(String market) throws Exception {
        long user = Fixtures.user(market);
        Sessions.Grant phone = Api.login(user, market, false);
        Sessions.Grant laptop = Api.login(user, market, false);

        assertThat(api.post("/api/auth/logout", phone.accessToken(), null).status(), is(204));
        api.get("/api/me", phone.accessToken()).problem(401);
        refresh(phone.refreshToken()).problem(401);
        api.post("/api/auth/logout", phone.accessToken(), null).problem(401);
        // the other session is untouched
        api.get("/api/me", laptop.accessToken()).expect(200);
        refresh(laptop.refreshToken()).expect(200);
        assertThat(Login.count("SELECT count(*) FROM sessions WHERE id = ? AND end_reason = 'logout'", phone.sessionId()),
                is(1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void logoutAllEndsEverySessionOfTheUserAndNoOneElses(String market) throws Exception {
        long user = Fixtures.user(market);
        Sessions.Grant a = Api.login(user, market, false);
        Sessions.Grant b = Api.login(user, market, false);
        long neighbour = Fixtures.user(market);
        Sessions.Grant other = Api.login(neighbour, market, false);

        assertThat(api.post("/api/auth/logout-all", a.accessToken(), null).status(), is(204));
        for (Sessions.Grant g : List.of(a, b)) {
            api.get("/api/me", g.accessToken()).problem(401);
            refresh(g.refreshToken()).problem(401);
        }
        api.get("/api/me", other.accessToken()).expect(200);
        refresh(other.refreshToken()).expect(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anExpiredSessionRefusesBothTokens(String market) throws Exception {
        Sessions.Grant login = Api.login(Fixtures.user(market), market, false);
        api.get("/api/me", login.accessToken()).expect(200);
        Login.owner("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = ?", login.sessionId());
        api.get("/api/me", login.accessToken()).problem(401);
        assertThat(refresh(login.refreshToken()).problem(401).get("detail").asText(), is(REFUSED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aRefreshTokenOfAnotherMarketOrUserIsRefusedLikeAnUnknownOne(String market) throws Exception {
        Sessions.Grant login = Api.login(Fixtures.user(market), market, false);
        Sessions.Grant neighbour = Api.login(Fixtures.user(market), market, false);
        Set<String> details = new HashSet<>();
        details.add(refresh(RefreshTokens.create()).problem(401).get("detail").asText());
        details.add(refresh("not-a-token").problem(401).get("detail").asText());
        details.add(api.call(Method.POST, "/api/auth/refresh", null, Map.of("refresh_token", login.refreshToken()),
                Map.of("X-Market", other(market))).problem(401).get("detail").asText());
        details.add(api.post("/api/auth/refresh", neighbour.accessToken(),
                Map.of("refresh_token", login.refreshToken())).problem(401).get("detail").asText());
        assertThat(details, is(Set.of(REFUSED)));
        // none of that spent or ended anything: the token still works in its own market
        Api.Res own = api.call(Method.POST, "/api/auth/refresh", null, Map.of("refresh_token", login.refreshToken()),
                Map.of("X-Market", market));
        own.expect(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void theSessionListShowsTheUsersLiveSessionsAndNoToken(String market) throws Exception {
        long user = Fixtures.user(market);
        Sessions.Grant here = Api.login(user, market, false);
        Sessions.Grant there = Api.login(user, market, false);
        Sessions.Grant ended = Api.login(user, market, false);
        Sessions.Grant neighbour = Api.login(Fixtures.user(market), market, false);
        api.post("/api/auth/logout", ended.accessToken(), null).expect(204);

        Api.Res res = api.get("/api/sessions", here.accessToken());
        JsonNode list = res.expect(200);
        assertThat(list.get("total").asLong(), is(2L));
        Set<Long> ids = new HashSet<>();
        for (JsonNode s : list.get("items")) {
            ids.add(s.get("id").asLong());
            assertThat(s.get("market").asText(), is(market));
            assertThat(s.get("user_agent").asText(), is("test client"));
            assertThat(s.get("current").asBoolean(), is(s.get("id").asLong() == here.sessionId()));
            for (String field : List.of("created_at", "last_used_at", "expires_at")) {
                assertThat(s.toString(), s.get(field).asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), is(true));
            }
        }
        assertThat(ids, is(Set.of(here.sessionId(), there.sessionId())));
        for (Sessions.Grant g : List.of(here, there, ended, neighbour)) {
            assertThat(res.body(), not(containsString(g.refreshToken())));
            assertThat(res.body(), not(containsString(RefreshTokens.hash(g.refreshToken()))));
            assertThat(res.body(), not(containsString(g.accessToken())));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void endingAnotherUsersSessionIsNotFoundLikeAMissingOne(String market) throws Exception {
        long user = Fixtures.user(market);
        Sessions.Grant mine = Api.login(user, market, false);
        Sessions.Grant lost = Api.login(user, market, false);
        Sessions.Grant neighbour = Api.login(Fixtures.user(market), market, false);
        Sessions.Grant abroad = Api.login(Fixtures.user(other(market)), other(market), false);

        JsonNode missing = api.delete("/api/sessions/" + Long.MAX_VALUE, mine.accessToken()).problem(404);
        for (Sessions.Grant g : List.of(neighbour, abroad)) {
            JsonNode p = api.delete("/api/sessions/" + g.sessionId(), mine.accessToken()).problem(404);
            assertThat(p.get("detail").asText(), is(missing.get("detail").asText()));
            api.get("/api/me", g.accessToken()).expect(200);
        }
        // a lost phone's session, ended from this one
        assertThat(api.delete("/api/sessions/" + lost.sessionId(), mine.accessToken()).status(), is(204));
        api.get("/api/me", lost.accessToken()).problem(401);
        api.get("/api/me", mine.accessToken()).expect(200);
        api.delete("/api/sessions/" + lost.sessionId(), mine.accessToken()).problem(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managersRefreshAndLoseTheirSessionsWhenGrantManagerTakesAMarket(String market) throws Exception {
        long id = Fixtures.manager(market, "manager", "KG", "US");
        Sessions.Grant login = Api.login(id, market, true);
        String access = refresh(login.refreshToken()).expect(200).get("access_token").asText();
        assertThat(TestApp.get().sessions().authenticate("Bearer " + access).manager(), is(true));
        api.get("/api/manager/me", access).expect(200);
        Sessions.Grant other = Api.login(id, market, true);

        String phone;
        try (Connection c = TestDatabase.get().owner()) {
            phone = Sql.strings(c, "SELECT phone FROM users WHERE id = ?", id).getFirst();
        }
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(GrantManager.run(TestDatabase.get().config(), List.of(phone, "--markets", market), quiet, quiet), is(0));
        api.get("/api/manager/me", access).problem(401);
        api.get("/api/me", login.accessToken()).problem(401);
        refresh(other.refreshToken()).problem(401);
        assertThat(Login.count("SELECT count(*) FROM sessions WHERE user_id = ? AND end_reason = 'access_removed'", id),
                is(2L));
    }

    @Test
    void tokensNeverAppearInLogsOrProblems() throws Exception {
        String phone = Fixtures.phone("KG");
        List<String> secrets;
        try (LogCapture log = new LogCapture()) {
            Login.requestCode(api, phone).expect(202);
            JsonNode login = Login.token(api, phone, Login.lastCode(phone)).expect(200);
            String refresh = login.get("refresh_token").asText();
            JsonNode next = refresh(refresh).expect(200);
            String reused = refresh(refresh).body();
            String forged = refresh(refresh + "x").body();
            api.get("/api/sessions", next.get("access_token").asText()).expect(200);
            api.post("/api/auth/logout", next.get("access_token").asText(), null).expect(204);
            String loggedOut = api.get("/api/me", next.get("access_token").asText()).body();

            secrets = List.of(refresh, next.get("refresh_token").asText(), login.get("access_token").asText(),
                    next.get("access_token").asText());
            List<String> lines = log.linesWithAccessLines(8);
            assertThat("the access log was captured", lines.stream().filter(l -> l.startsWith("marketbackend.access "))
                    .count(), greaterThanOrEqualTo(8L));
            for (String text : concat(lines, List.of(reused, forged, loggedOut))) {
                for (String secret : secrets) {
                    assertThat(text, not(containsString(secret)));
                    assertThat(text, not(containsString(secret.substring(secret.length() - 20))));
                }
            }
        }
    }

    private Api.Res refresh(String token) {
        return api.post("/api/auth/refresh", null, Map.of("refresh_token", token));
    }

    private static String other(String market) {
        return market.equals("KG") ? "US" : "KG";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
