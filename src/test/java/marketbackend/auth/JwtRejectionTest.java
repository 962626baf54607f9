package marketbackend.auth;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.helidon.http.Method;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkOctet;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import marketbackend.Server;
import marketbackend.support.Api;
import marketbackend.support.Fixtures;
import marketbackend.support.TestApp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Every malformed, forged, expired or misdirected bearer token is a 401 problem, on every path. */
@ServerTest
class JwtRejectionTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static long user;
    private static long session;

    private final Api api;

    JwtRejectionTest(Http1Client client) {
        this.api = new Api(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder r) {
        Server.routing(r, TestApp.get());
    }

    @BeforeAll
    static void seed() throws Exception {
        user = Fixtures.user("KG");
        session = Api.login(user, "KG", false).sessionId();
    }

    @Test
    void aValidTokenIsAccepted() {
        // the control: the same request with a good token works, so the refusals below mean something
        assertThat(api.get("/api/me", Api.token(user, "KG")).expect(200).get("id").asLong(), is(user));
        assertThat(api.get("/api/me", sign(b -> b, "HS256", secret())).expect(200).get("market").asText(), is("KG"));
    }

    static Stream<Arguments> forgedTokens() {
        return Stream.of(
                Arguments.of("alg none, no signature", unsigned("none", "")),
                Arguments.of("alg none, some signature", unsigned("none", "c2ln")),
                Arguments.of("alg None", unsigned("None", "")),
                Arguments.of("HS512 with the right secret", sign(b -> b, "HS512", secret())),
                Arguments.of("HS384 with the right secret", sign(b -> b, "HS384", secret())),
                Arguments.of("RS256 signed with some RSA key", rs256()),
                Arguments.of("RS256 header, HMAC signature", withHeader(sign(b -> b, "HS256", secret()),
                        "{\"alg\":\"RS256\",\"typ\":\"JWT\"}")),
                Arguments.of("another secret", sign(b -> b, "HS256",
                        "another-secret-0123456789-0123456789-xyz".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("payload changed after signing", tamper(sign(b -> b, "HS256", secret()))),
                Arguments.of("signature removed", stripSignature(sign(b -> b, "HS256", secret()))),
                Arguments.of("wrong issuer", sign(b -> b.issuer("someone-else"), "HS256", secret())),
                Arguments.of("wrong audience", sign(b -> b.audience(java.util.List.of("other-api")), "HS256", secret())),
                Arguments.of("expired", expired()),
                Arguments.of("not valid yet", sign(b -> b.notBefore(Instant.now().plus(Duration.ofHours(1))),
                        "HS256", secret())),
                Arguments.of("issued in the future", sign(b -> b.issueTime(Instant.now().plus(Duration.ofHours(1)))
                        .notBefore(Instant.now().plus(Duration.ofHours(1))), "HS256", secret())),
                Arguments.of("no expiry", sign(b -> b.expirationTime(null), "HS256", secret())),
                Arguments.of("subject not a user id", sign(b -> b.subject("admin"), "HS256", secret())),
                Arguments.of("market lower case", sign(b -> b.addPayloadClaim("market", "kg"), "HS256", secret())),
                Arguments.of("role not known", sign(b -> b.addPayloadClaim("role", "root"), "HS256", secret())),
                Arguments.of("crit header", withHeader(sign(b -> b, "HS256", secret()),
                        "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"crit\":[\"exp\"]}")),
                Arguments.of("oversized", sign(b -> b.addPayloadClaim("pad", "x".repeat(5000)), "HS256", secret())),
                Arguments.of("two parts", "abc.def"),
                Arguments.of("garbage", "not-a-token"),
                Arguments.of("not base64", "a$b.c%d.e^f"),
                Arguments.of("JSON that is not JSON", B64.encodeToString("{alg".getBytes(StandardCharsets.UTF_8))
                        + "." + B64.encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + ".c2ln"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgedTokens")
    void forgedTokenIs401(String what, String token) {
        JsonProblem.of(api.get("/api/me", token).problem(401));
        // the filter checks every token, also on public paths: a bad token is never "just a guest"
        api.get("/api/products", token).problem(401);
    }

    @ParameterizedTest(name = "Authorization: {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Token abc.def.ghi", "Basic dXNlcjpwYXNz", "Bearer",
            "Bearer ", "abc.def.ghi", "Bearer  ", "Bearerabc.def.ghi"})
    void missingOrWrongSchemeIs401(String header) {
        Api.Res res = api.call(Method.GET, "/api/me", null, null, Map.of("Authorization", header));
        res.problem(401);
    }

    @Test
    void noTokenOnACustomerEndpointIs401() {
        api.get("/api/me", null).problem(401);
        api.get("/api/orders", null).problem(401);
        api.post("/api/cart/items", null, Map.of("product_id", 1, "quantity", 1)).problem(401);
    }

    @Test
    void customerTokenWithAnotherMarketHeaderIs403() {
        Api.Res res = api.call(Method.GET, "/api/me", Api.token(user, "KG"), null, Map.of("X-Market", "US"));
        res.problem(403);
        Api.Res same = api.call(Method.GET, "/api/me", Api.token(user, "KG"), null, Map.of("X-Market", "KG"));
        same.expect(200);
        assertThat(same.header("X-Market"), is("KG"));
    }

    /** Helpers as a record to keep the assertion above readable. */
    private record JsonProblem(String title) {
        static JsonProblem of(com.fasterxml.jackson.databind.JsonNode p) {
            assertThat(p.get("title").asText(), is("Unauthorized"));
            return new JsonProblem(p.get("title").asText());
        }
    }

    // ---------------------------------------------------------------- token makers

    private static byte[] secret() {
        return TestApp.get().config().jwtSecretBytes();
    }

    /** A token like the server's, changed by {@code change}, signed with {@code alg} and {@code key}. */
    private static String sign(UnaryOperator<Jwt.Builder> change, String alg, byte[] key) {
        Instant now = Instant.now();
        Jwt.Builder b = Jwt.builder()
                .algorithm(alg)
                .keyId(Tokens.KEY_ID)
                .type("JWT")
                .issuer(Tokens.ISSUER)
                .addAudience(Tokens.AUDIENCE)
                .subject(Long.toString(user))
                .issueTime(now)
                .notBefore(now)
                .expirationTime(now.plus(Duration.ofMinutes(10)))
                .addPayloadClaim("market", "KG")
                .addPayloadClaim("role", "customer")
                .addPayloadClaim("sid", Long.toString(session));
        JwkOctet jwk = JwkOctet.create(jakarta.json.Json.createObjectBuilder()
                .add("kty", "oct").add("alg", alg).add("kid", Tokens.KEY_ID)
                .add("k", B64.encodeToString(key)).build());
        return SignedJwt.sign(change.apply(b).build(), jwk).tokenContent();
    }

    private static String expired() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC);
        return new Tokens(secret(), Duration.ofHours(1), past).issue(user, "KG", false, session).token();
    }

    private static String unsigned(String alg, String signature) {
        return B64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8))
                + "." + payload(sign(b -> b, "HS256", secret())) + "." + signature;
    }

    private static String rs256() {
        try {
            var keys = KeyPairGenerator.getInstance("RSA");
            keys.initialize(2048);
            var pair = keys.generateKeyPair();
            String signingInput = B64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + payload(sign(b -> b, "HS256", secret()));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(pair.getPrivate());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String withHeader(String token, String headerJson) {
        String[] parts = token.split("\\.");
        return B64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2];
    }

    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"KG\"", "\"US\"");
        return parts[0] + "." + B64.encodeToString(json.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    private static String stripSignature(String token) {
        return token.substring(0, token.lastIndexOf('.') + 1);
    }

    private static String payload(String token) {
        return token.split("\\.")[1];
    }
}
