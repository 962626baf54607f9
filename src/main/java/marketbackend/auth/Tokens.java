package marketbackend.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.helidon.common.Errors;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.JwtValidator;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkOctet;

import jakarta.json.Json;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import marketbackend.context.Principal;
import marketbackend.http.ApiException;

/**
 * Access tokens: HS256 JWTs signed with {@code JWT_SECRET} through helidon-security-jwt.
 * The algorithm is fixed here and never taken from the token: a token whose header says
 * anything but HS256 (none, RS256, HS512, ...) is refused before its signature is looked at.
 * Every token names its login session (claim {@code sid}); {@link Sessions} checks that the
 * session is still live, so this class alone authenticates nobody.
 */
public final class Tokens {
    public static final String ISSUER = "market-backend";
    public static final String AUDIENCE = "market-api";
    static final String KEY_ID = "market-backend-hs256";
    static final int MAX_TOKEN_LENGTH = 4096;
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Pattern MARKET = Pattern.compile("[A-Z]{2}");

    private final JwkOctet key;
    private final Duration ttl;
    private final Clock clock;

    public Tokens(byte[] secret, Duration ttl, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("JWT secret must be at least 32 bytes");
        }
        this.key = JwkOctet.create(Json.createObjectBuilder()
                .add("kty", "oct")
                .add("alg", JwkOctet.ALG_HS256)
                .add("use", "sig")
                .add("kid", KEY_ID)
                .add("k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret))
                .build());
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A signed access token and its lifetime. */
    public record Issued(String token, long expiresIn) {
    }

    /** What a verified token says: the user, their market, the role and the session it belongs to. */
    public record Claims(long userId, String market, boolean manager, long sessionId) {
        public Principal principal() {
            return new Principal(userId, market, manager, sessionId);
        }
    }

    Issued issue(long userId, String market, boolean manager, long sessionId) {
        Instant now = clock.instant();
        Jwt jwt = Jwt.builder()
                .algorithm(JwkOctet.ALG_HS256)
                .keyId(KEY_ID)
                .type("JWT")
                .issuer(ISSUER)
                .addAudience(AUDIENCE)
                .subject(Long.toString(userId))
                .issueTime(now)
                .notBefore(now)
                .expirationTime(now.plus(ttl))
                .jwtId(UUID.randomUUID().toString())
                .addPayloadClaim("market", market)
                .addPayloadClaim("role", manager ? "manager" : "customer")
                .addPayloadClaim("sid", Long.toString(sessionId))
                .build();
        return new Issued(SignedJwt.sign(jwt, key).tokenContent(), ttl.toSeconds());
    }

    /** The claims of a validly signed, unexpired token in an {@code Authorization} header, or a 401. */
    public Claims verify(String authorizationHeader) {
        String token = bearer(authorizationHeader);
        try {
            return verified(token);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            // a claim of the wrong type (e.g. "exp": "never") makes the JWT library throw: still just a bad token
            throw invalid();
        }
    }

    private Claims verified(String token) {
        SignedJwt signed = SignedJwt.parseToken(token);
        // the signature first, with our key and its fixed algorithm: nothing of an unsigned token is parsed further
        if (!key.verifySignature(signed.getSignedBytes(), signed.getSignature())) {
            throw invalid();
        }
        Jwt jwt = signed.getJwt();
        if (!JwkOctet.ALG_HS256.equals(jwt.algorithm().orElse(null))
                || !jwt.keyId().map(KEY_ID::equals).orElse(true)
                || jwt.headerJson().containsKey("crit")) {
            throw invalid();
        }
        Errors errors = JwtValidator.builder()
                .addDefaultTimeValidators(clock.instant(), CLOCK_SKEW, true)
                .addIssuerValidator(ISSUER, true)
                .addAudienceValidator(AUDIENCE)
                .build()
                .validate(jwt);
        if (!errors.isValid() || jwt.expirationTime().isEmpty()) {
            throw invalid();
        }
        long userId = jwt.subject().filter(s -> s.matches("[1-9][0-9]{0,18}")).map(Long::parseLong)
                .orElseThrow(Tokens::invalid);
        String market = claim(jwt, "market").filter(m -> MARKET.matcher(m).matches()).orElseThrow(Tokens::invalid);
        String role = claim(jwt, "role").filter(r -> List.of("customer", "manager").contains(r))
                .orElseThrow(Tokens::invalid);
        long sessionId = claim(jwt, "sid").filter(s -> s.matches("[1-9][0-9]{0,18}")).map(Long::parseLong)
                .orElseThrow(Tokens::invalid);
        return new Claims(userId, market, "manager".equals(role), sessionId);
    }

    private static String bearer(String header) {
        if (header == null || header.length() > MAX_TOKEN_LENGTH + 7) {
            throw invalid();
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("Use 'Authorization: Bearer <token>'");
        }
        String token = header.substring(7).trim();
        if (!SHAPE.matcher(token).matches()) {
            throw invalid();
        }
        return token;
    }

    private static Optional<String> claim(Jwt jwt, String name) {
        return jwt.payloadClaim(name)
                .filter(v -> v.getValueType() == JsonValue.ValueType.STRING)
                .map(v -> ((JsonString) v).getString());
    }

    private static ApiException invalid() {
        return ApiException.unauthorized("Invalid or expired token");
    }
}
