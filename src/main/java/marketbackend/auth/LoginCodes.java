package marketbackend.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Login codes: six random digits, stored only as a keyed hash. The hash binds the code to its
 * phone, so a hash copied to another phone's row is worthless; the key never leaves the server,
 * so a leaked table cannot be brute-forced offline in a million tries. The database compares
 * hashes (app.redeem_login_code), so that the try is counted in the same statement.
 */
public final class LoginCodes {
    private static final String HMAC = "HmacSHA256";
    private static final byte[] DERIVATION_LABEL = "market-backend/login-code-hash/v1".getBytes(StandardCharsets.UTF_8);

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    private LoginCodes(byte[] key) {
        this.key = new SecretKeySpec(key, HMAC);
    }

    /** With {@code CODE_HASH_KEY} when set, else a key derived from the JWT secret (never the secret itself). */
    public static LoginCodes create(AuthSettings settings, byte[] jwtSecret) {
        if (settings.codeHashKey() != null) {
            return new LoginCodes(settings.codeHashKey().getBytes(StandardCharsets.UTF_8));
        }
        return new LoginCodes(hmac(new SecretKeySpec(jwtSecret, HMAC), DERIVATION_LABEL));
    }

    /** A fresh code, 000000 to 999999. */
    public String newCode() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    public String hash(String e164Phone, String code) {
        return HexFormat.of().formatHex(hmac(key, (e164Phone + ":" + code).getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
