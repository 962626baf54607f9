package marketbackend.auth;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.Server;
import marketbackend.support.Api;
import marketbackend.support.Fixtures;
import marketbackend.support.TestApp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Phone login end to end, in both markets: the phone decides the market, the code proves the phone. */
@ServerTest
class PhoneLoginTest {
    private final Api api;

    PhoneLoginTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, Login.generous());
    }

    @ParameterizedTest
    @CsvSource({"KG, nikita, Код для входа", "US, twilio, Your login code"})
    void firstLoginCreatesTheUserInThePhonesMarket(String market, String provider, String text) {
        String phone = Fixtures.phone(market);
        JsonNode sent = Login.requestCode(api, spaced(phone)).expect(202);
        assertThat(sent.get("market").asText(), is(market));
        assertThat(sent.get("expires_in").asInt(), is(600));

        // routed by the code's market: that market's provider, that market's language
        assertThat(Login.count("SELECT count(*) FROM sms_outbox WHERE phone = ? AND market = ? AND provider = ?",
                phone, market, provider), is(1L));
        assertThat(Login.outbox(phone).getFirst(), containsString(text));
        String code = Login.lastCode(phone);

        Api.Res res = Login.token(api, phone, code);
        JsonNode body = res.expect(200);
        assertThat(res.header("Cache-Control"), is("no-store"));
        assertThat(res.header("X-Market"), is(market));
        assertThat(body.get("token_type").asText(), is("Bearer"));
        assertThat(body.get("expires_in").asLong(), is(3600L));
        JsonNode user = body.get("user");
        assertThat(user.get("market").asText(), is(market));
        assertThat(user.get("phone").asText(), is(phone));

        String token = body.get("access_token").asText();
        JsonNode me = api.get("/api/me", token).expect(200);
        assertThat(me.get("id").asLong(), is(user.get("id").asLong()));
        assertThat(me.get("market").asText(), is(market));
        assertThat(TestApp.get().sessions().authenticate("Bearer " + token).manager(), is(false));
    }

    @ParameterizedTest
    @CsvSource({"KG, US", "US, KG"})
    void xMarketDoesNotDecideTheMarketOfALogin(String market, String header) {
        String phone = Fixtures.phone(market);
        Api.Res sent = api.call(Method.POST, "/api/auth/code", null, Map.of("phone", phone), Map.of("X-Market", header));
        assertThat(sent.expect(202).get("market").asText(), is(market));
        assertThat(sent.header("X-Market"), is(market));
        Api.Res res = api.call(Method.POST, "/api/auth/token", null,
                Map.of("phone", phone, "code", Login.lastCode(phone)), Map.of("X-Market", header));
        assertThat(res.expect(200).get("user").get("market").asText(), is(market));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void theNextLoginFindsTheSameUser(String market) {
        String phone = Fixtures.phone(market);
        long first = login(phone).get("user").get("id").asLong();
        Login.owner("UPDATE verification_codes SET created_at = created_at - interval '2 minutes' WHERE phone = ?", phone);
        long second = login(phone).get("user").get("id").asLong();
        assertThat(second, is(first));
        assertThat(Login.count("SELECT count(*) FROM users WHERE phone = ?", phone), is(1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aManagerGetsAManagerToken(String market) throws Exception {
        long id = Fixtures.manager(market, "manager", market);
        String phone = marketbackend.support.Sql.strings(marketbackend.support.TestDatabase.get().owner(),
                "SELECT phone FROM users WHERE id = ?", id).getFirst();
        String token = login(phone).get("access_token").asText();
        var principal = TestApp.get().sessions().authenticate("Bearer " + token);
        assertThat(principal.manager(), is(true));
        assertThat(principal.userId(), is(id));
        assertThat(principal.market(), is(market));
    }

    @ParameterizedTest
    @CsvSource({
            "+1 416 234 5678, region CA",    // Canada shares +1
            "+1 876 234 5678, region JM",    // Jamaica
            "+1 242 357 1234, region BS",    // Bahamas
            "+44 7911 123456, region GG",
            "+7 912 345 6789, region RU",
            "+7 701 123 4567, region KZ",
            "+1 555 555 5555, not valid",    // +1 but no real US number
            "+996 312 123 456, mobile",      // a Bishkek landline cannot get an SMS
            "+1 800 356 9377, mobile"})      // toll-free
    void numbersNoMarketServesAre422(String phone, String message) {
        JsonNode p = Login.requestCode(api, phone).problem(422);
        assertThat(p.get("detail").asText(), containsString(message));
        Login.token(api, phone, "123456").problem(422);
        assertThat(Login.count("SELECT count(*) FROM verification_codes WHERE phone LIKE ?",
                phone.replaceAll("[^+0-9]", "")), is(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "", " ", "+", "996700123456", "0700 123 456", "+99655512345",
            "+1 800 FLOWERS", "+996 700 123 456 ext. 12", "+996700123456;DROP TABLE users", "+９９６７００１２３４５６",
            "+996700123456789012345678901234567890"})
    void garbageIs400(String phone) {
        Login.requestCode(api, phone).problem(400);
        Login.token(api, phone, "123456").problem(400);
    }

    @Test
    void badBodiesAre4xx() {
        api.post("/api/auth/code", null, "{").problem(400);
        api.post("/api/auth/code", null, "[]").problem(400);
        api.post("/api/auth/code", null, Map.of()).problem(422);
        api.post("/api/auth/code", null, Map.of("phone", 996700123456L)).problem(422);
        api.post("/api/auth/code", null, Map.of("phone", Fixtures.phone("KG"), "market", "US")).problem(422);
        api.post("/api/auth/token", null, Map.of("phone", Fixtures.phone("KG"))).problem(422);
        api.post("/api/auth/token", null, Map.of("phone", Fixtures.phone("KG"), "code", "12345")).problem(422);
        api.post("/api/auth/token", null, Map.of("phone", Fixtures.phone("KG"), "code", 123456)).problem(422);
        Api.Res textPlain = api.call(Method.POST, "/api/auth/code", null, "{\"phone\":\"+996700000001\"}",
                Map.of("Content-Type", "text/plain"));
        assertThat(textPlain.status(), is(415));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aWrongCodeAndAnUnknownPhoneLookTheSame(String market) {
        String phone = Fixtures.phone(market);
        Login.requestCode(api, phone).expect(202);
        JsonNode wrong = Login.token(api, phone, Login.other(Login.lastCode(phone))).problem(401);
        JsonNode neverAsked = Login.token(api, Fixtures.phone(market), "123456").problem(401);
        assertThat(wrong.get("detail"), is(neverAsked.get("detail")));
        assertThat(wrong.get("title"), is(neverAsked.get("title")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void codesAreStoredOnlyAsAKeyedHash(String market) {
        String phone = Fixtures.phone(market);
        Login.requestCode(api, phone).expect(202);
        String code = Login.lastCode(phone);
        List<String> hashes = strings("SELECT code_hash FROM verification_codes WHERE phone = ?", phone);
        assertThat(hashes.size(), is(1));
        assertThat(hashes.getFirst(), hashes.getFirst().matches("[0-9a-f]{64}"), is(true));
        assertThat(hashes.getFirst(), not(containsString(code)));
        // not a plain hash of the code either: without the key it cannot be recomputed
        assertThat(hashes.getFirst(), not(is(sha256(code))));
        assertThat(hashes.getFirst(), not(is(sha256(phone + ":" + code))));
    }

    private JsonNode login(String phone) {
        Login.requestCode(api, phone).expect(202);
        return Login.token(api, phone, Login.lastCode(phone)).expect(200);
    }

    /** The same number as people type it. */
    private static String spaced(String e164) {
        return e164.startsWith("+996")
                ? "+996 " + e164.substring(4, 7) + " " + e164.substring(7, 10) + " " + e164.substring(10)
                : "+1 (" + e164.substring(2, 5) + ") " + e164.substring(5, 8) + "-" + e164.substring(8);
    }

    private static List<String> strings(String sql, Object... params) {
        try (var c = marketbackend.support.TestDatabase.get().owner()) {
            return marketbackend.support.Sql.strings(c, sql, params);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
