package marketbackend.http;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id of one request, in every answer ({@code X-Request-Id} and a problem's {@code request_id}),
 * the access log and the audit log: the caller's {@code X-Request-Id} when it is a safe token, else new.
 */
public record RequestId(String value) {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public static RequestId from(Optional<String> header) {
        return new RequestId(header.filter(v -> SAFE.matcher(v).matches()).orElseGet(() -> UUID.randomUUID().toString()));
    }
}
