package marketbackend.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.RoutingRequest;

/**
 * HTTP details the parser lets through but that this API never needs, refused before anything
 * else looks at the request: they would otherwise be silently reinterpreted (a dropped matrix
 * parameter, the first of two credentials, a negative length read as "chunked").
 */
final class RequestHygiene {
    private RequestHygiene() {
    }

    static void check(RoutingRequest req) {
        String path = req.path().path();
        if (path == null || !path.startsWith("/")) {
            // authority-form (CONNECT host:port) or absolute-form without a path: we are no proxy
            throw ApiException.badRequest("The request target must be a path");
        }
        if (req.path().rawPath().indexOf(';') >= 0) {
            // "/api/products/1;x" would be answered as product 1, the matrix parameter dropped
            throw ApiException.badRequest("The path must not contain ';'");
        }
        for (Header h : req.headers()) {
            if (h.name().isEmpty()) {
                throw ApiException.badRequest("A header has no name");
            }
        }
        single(req, HeaderNames.AUTHORIZATION, "Send one Authorization header");
        single(req, HeaderNames.CONTENT_LENGTH, "Send one Content-Length header");
        req.headers().first(HeaderNames.CONTENT_LENGTH).ifPresent(length -> {
            if (!length.matches("[0-9]{1,18}")) {
                throw ApiException.badRequest("Content-Length must be a number of bytes");
            }
        });
        if (path.length() > 1 && path.endsWith("/")) {
            // "/api/products/" would be answered as "/api/products": one path per resource, as documented
            throw ApiException.notFound("Resource");
        }
        boolean body = req.headers().contains(HeaderNames.TRANSFER_ENCODING)
                || !req.headers().first(HeaderNames.CONTENT_LENGTH).orElse("0").equals("0");
        if (body && BodylessOperations.takesNoBody(req.prologue().method().text(), path)) {
            throw ApiException.badRequest("This operation takes no request body");
        }
    }

    /** A header that may appear at most once (which of two would a proxy in front of us have used?). */
    private static void single(RoutingRequest req, HeaderName name, String message) {
        if (req.headers().contains(name) && req.headers().get(name).allValues(false).size() != 1) {
            throw ApiException.badRequest(message);
        }
    }
}
