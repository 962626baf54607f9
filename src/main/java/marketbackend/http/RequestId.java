package marketbackend.http;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import marketbackend.context.RequestContext;

/**
 * The server's id of one request, in every answer ({@code X-Request-Id} and a problem's
 * {@code request_id}), the access log and the audit log. A caller's own {@code X-Request-Id} is
 * kept beside it ({@link RequestContext#clientRequestId}), never instead of it.
 */
public record RequestId(String value) {
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A random (version 4) UUID, from ThreadLocalRandom: an id need not be secret, and SecureRandom costs a lock and a read of /dev/urandom per request. */
    public static RequestId create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L;
        long low = random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return new RequestId(new UUID(high, low).toString());
    }

    /** A caller's {@code X-Request-Id} worth keeping: a short safe token, else nothing. */
    public static String client(Optional<String> header) {
        return header.filter(v -> CLIENT_ID.matcher(v).matches()).orElse(null);
    }
}
