package marketbackend.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;

import marketbackend.context.RequestContext;

/**
 * Signs request contexts for the database (db-policies/R__01_helpers.sql): HMAC-SHA256 with the key
 * that {@code migrate} installs in {@code app.context_keys} as its two pads (RFC 2104), so that
 * {@code app.verify_context()} recomputes the same MAC with sha256() alone.
 */
public final class ContextKey {
    private static final HexFormat HEX = HexFormat.of();
    private static final int BLOCK = 64;

    private final String id;
    private final byte[] innerPad;
    private final byte[] outerPad;
    private final MessageDigest inner;
    private final MessageDigest outer;
    private final Duration ttl;
    private final Clock clock;

    /** @param secret at least 32 bytes; @param ttl how long a signed context may start a transaction */
    public ContextKey(byte[] secret, Duration ttl, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the context key must be at least 32 bytes");
        }
        byte[] key = secret.length > BLOCK ? sha256(secret) : secret;
        innerPad = new byte[BLOCK];
        outerPad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
        this.id = HEX.formatHex(sha256(secret)).substring(0, 16);
        this.inner = digestAfter(innerPad);
        this.outer = digestAfter(outerPad);
        this.ttl = ttl;
        this.clock = clock;
    }

    public String id() {
        return id;
    }

    byte[] innerPad() {
        return innerPad.clone();
    }

    byte[] outerPad() {
        return outerPad.clone();
    }

    /**
     * The signed context of {@code ctx} for the login role {@code login}, valid for the key's TTL
     * from now; {@code readOnly} is signed too, so nobody who holds the context can write with it.
     */
    public String sign(RequestContext ctx, String login, boolean readOnly) {
        return sign(ctx, login, readOnly, ttl);
    }

    /**
     * The signed context (see R__01_helpers.sql):
     * v2|key|expires|login role|role|market|user|request id|phone|session|rw or ro|hmac.
     */
    public String sign(RequestContext ctx, String login, boolean readOnly, Duration validFor) {
        long expires = clock.instant().plus(validFor).getEpochSecond();
        String payload = String.join("|", "v2", id, Long.toString(expires), field(login, ROLE), ctx.actor().dbRole(),
                field(ctx.market(), MARKET), ctx.userId() == null ? "" : ctx.userId().toString(),
                field(ctx.requestId(), REQUEST_ID), field(ctx.phone(), PHONE),
                ctx.sessionId() == null ? "" : ctx.sessionId().toString(), readOnly ? "ro" : "rw");
        return payload + "|" + HEX.formatHex(mac(payload.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * What app.enter() answers for {@code signedContext} when it really ran: an HMAC of the
     * context's own MAC. A statement planted in its place cannot compute it.
     */
    public String proof(String signedContext) {
        String entered = "entered|" + signedContext.substring(signedContext.length() - 64);
        return HEX.formatHex(mac(entered.getBytes(StandardCharsets.UTF_8)));
    }

    private byte[] mac(byte[] message) {
        MessageDigest in = copy(inner);
        in.update(message);
        MessageDigest out = copy(outer);
        out.update(in.digest());
        return out.digest();
    }

    /** The values the database can record (R__01_helpers.sql): every value the server puts here is validated before. */
    private static final Pattern ROLE = Pattern.compile("[a-z_]{1,63}");
    private static final Pattern MARKET = Pattern.compile("[A-Z]{2,8}");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9-]{1,80}");
    private static final Pattern PHONE = Pattern.compile("\\+[0-9]{4,15}");

    private static String field(String value, Pattern allowed) {
        if (value == null) {
            return "";
        }
        if (!allowed.matcher(value).matches()) {
            throw new IllegalArgumentException("not a valid context value: " + value);
        }
        return value;
    }

    private static MessageDigest digestAfter(byte[] pad) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(pad);
            return d;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clone of a digest that already absorbed a pad: the per-context cost is two short hashes. */
    private static MessageDigest copy(MessageDigest prototype) {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
