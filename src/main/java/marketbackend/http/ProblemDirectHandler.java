package marketbackend.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Errors the web server answers before routing (malformed request line or headers, body over the
 * size limit) also come as problem+json, with a fixed safe detail instead of the parser's message.
 */
public final class ProblemDirectHandler implements DirectHandler {

    public static DirectHandlers handlers() {
        ProblemDirectHandler handler = new ProblemDirectHandler();
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        if (status.code() == 400 && message != null && message.toLowerCase(java.util.Locale.ROOT).contains("header size")) {
            // the parser says 400 "Header size exceeded": that is MAX_HEADER_BYTES, and HTTP has a status for it
            status = Status.create(431, "Request Header Fields Too Large");
        }
        String detail = switch (status.code()) {
            case 413 -> "The request body is too large";
            case 431 -> "The request headers are too large";
            case 414 -> "The request URI is too long";
            case 403 -> "Forbidden";
            default -> status.code() < 500 ? "The request is malformed" : "The server could not handle the request";
        };
        String requestId = RequestId.create().value();
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .header(MarketFilter.X_REQUEST_ID, requestId)
                .entity(Problems.body(status.code(), status.reasonPhrase(), detail, null, requestId, null))
                .build();
    }
}
