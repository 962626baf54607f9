package marketbackend.http;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import marketbackend.context.RequestContext;

/**
 * The server's id of one request, in every answer ({@code X-Request-Id} and a problem's
 * {@code request_id}), the access log and the audit log. A caller's own {@code X-Request-Id} is
 * kept beside it ({@link RequestContext#clientRequestId}), never instead of it.
 */
public record RequestId(String value) {
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public static RequestId create() {
        return new RequestId(UUID.randomUUID().toString());
    }

    /** A caller's {@code X-Request-Id} worth keeping: a short safe token, else nothing. */
    public static String client(Optional<String> header) {
        return header.filter(v -> CLIENT_ID.matcher(v).matches()).orElse(null);
    }
}
