package marketbackend.http;

/** An error the client caused or may retry; mapped to an RFC 9457 problem answer. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final transient Object extra;

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    /** @param extra optional extension members, e.g. field errors (serialized as JSON) */
    public ApiException(int status, String title, String detail, Object extra) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.extra = extra;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Object extra() {
        return extra;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad Request", detail);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail);
    }

    /** The one answer for "missing" and "belongs to someone else / another market". */
    public static ApiException notFound(String what) {
        return new ApiException(404, "Not Found", what + " not found");
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail);
    }

    public static ApiException unprocessable(String detail) {
        return new ApiException(422, "Unprocessable Content", detail);
    }

    /** 429 with {@code Retry-After: seconds}. */
    public static ApiException tooManyRequests(long retryAfterSeconds, String detail) {
        return new ApiException(429, "Too Many Requests", detail,
                java.util.Map.of(Problems.RETRY_AFTER, Math.max(1, retryAfterSeconds)));
    }
}
