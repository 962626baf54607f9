package marketbackend.reliability;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import marketbackend.auth.Tokens;
import marketbackend.support.TestApp;

/**
 * JWTs built by hand, byte by byte, the way an attacker would: any header, any payload, any
 * signature. The server must accept none of them (the real ones come from {@link Tokens}).
 */
final class ForgedTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final String KID = "market-backend-hs256";

    private ForgedTokens() {
    }

    static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A payload like the server's for {@code userId} of KG, with extra or replaced members in {@code extra}. */
    static String payload(long userId, String market, String role, long iatOffset, long expOffset, String extra) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + Tokens.ISSUER + "\",\"aud\":\"" + Tokens.AUDIENCE + "\",\"sub\":\"" + userId + "\","
                + "\"iat\":" + (now + iatOffset) + ",\"nbf\":" + (now + iatOffset) + ",\"exp\":" + (now + expOffset) + ","
                + "\"market\":\"" + market + "\",\"role\":\"" + role + "\"" + extra + "}";
    }

    static String header(String alg, String extra) {
        return "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"" + extra + "}";
    }

    /** header.payload signed with HMAC-SHA{bits} under {@code key}. */
    static String hmac(String header, String payload, byte[] key, int bits) {
        String input = b64(header) + "." + b64(payload);
        try {
            Mac mac = Mac.getInstance("HmacSHA" + bits);
            mac.init(new SecretKeySpec(key, "HmacSHA" + bits));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed with the server's own secret: only the claims or header make it wrong. */
    static String withSecret(String header, String payload) {
        return hmac(header, payload, secret(), 256);
    }

    static byte[] secret() {
        return TestApp.get().config().jwtSecretBytes();
    }

    /** RS256 signed with a fresh RSA key whose public half rides in the header ("embedded jwk" attack). */
    static String rs256EmbeddedJwk(String payload) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair pair = g.generateKeyPair();
            RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
            String jwk = "{\"kty\":\"RSA\",\"n\":\"" + B64.encodeToString(pub.getModulus().toByteArray())
                    + "\",\"e\":\"" + B64.encodeToString(pub.getPublicExponent().toByteArray()) + "\"}";
            String input = b64(header("RS256", ",\"jwk\":" + jwk)) + "." + b64(payload);
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(pair.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(s.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static long hours(long h) {
        return Duration.ofHours(h).toSeconds();
    }
}
