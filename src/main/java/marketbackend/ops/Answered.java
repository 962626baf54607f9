package marketbackend.ops;

/** What the operator learns of one answered request: the access-log line and the request metrics. */
public record Answered(String method, String path, int status, long nanos, String market, String actor, String user,
                       String requestId) {
}
