package marketbackend.http;

import java.util.List;
import java.util.Optional;

import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.ServerRequest;

import marketbackend.value.Paging;

/** Strict reading of query parameters and path ids: a malformed value is a 400, never a 500. */
public final class Query {
    /** The default of {@code MAX_PAGE_SIZE}; a server's own limit travels in the request context as {@link PageLimit}. */
    public static final int MAX_PAGE_SIZE = 100;
    public static final int DEFAULT_PAGE_SIZE = 20;

    /** This server's largest page size ({@code MAX_PAGE_SIZE}), registered in every request's context. */
    public record PageLimit(int maxSize) {
    }

    private Query() {
    }

    /** Page number (1-based) and size from {@code page} and {@code size}. */
    public static Paging paging(ServerRequest req) {
        int page = optionalInt(req, "page", 1, 1_000_000).orElse(1);
        int max = req.context().get(PageLimit.class).map(PageLimit::maxSize).orElse(MAX_PAGE_SIZE);
        int size = optionalInt(req, "size", 1, max).orElse(Math.min(DEFAULT_PAGE_SIZE, max));
        return new Paging(page, size);
    }

    public static Optional<String> optionalText(ServerRequest req, String name, int maxLength) {
        Parameters q = req.query();
        if (!q.contains(name)) {
            return Optional.empty();
        }
        List<String> all = q.all(name);
        if (all.size() != 1) {
            throw ApiException.badRequest("Query parameter '" + name + "' must be given once");
        }
        String v = all.getFirst();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.length() > maxLength) {
            throw ApiException.badRequest("Query parameter '" + name + "' is longer than " + maxLength);
        }
        if (v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badRequest("Query parameter '" + name + "' contains control characters");
        }
        return Optional.of(v);
    }

    /** A query parameter that is absent or one of {@code choices} (anything else is 400, not an empty list). */
    public static Optional<String> optionalChoice(ServerRequest req, String name, List<String> choices) {
        Optional<String> v = optionalText(req, name, 50);
        if (v.isPresent() && !choices.contains(v.get())) {
            throw ApiException.badRequest("Query parameter '" + name + "' must be one of " + String.join(", ", choices));
        }
        return v;
    }

    public static Optional<Long> optionalId(ServerRequest req, String name) {
        return optionalText(req, name, 19).map(v -> parseId(v, "Query parameter '" + name + "'"));
    }

    public static Optional<Integer> optionalInt(ServerRequest req, String name, int min, int max) {
        return optionalText(req, name, 10).map(v -> {
            if (!v.matches("[0-9]{1,9}")) {
                throw ApiException.badRequest("Query parameter '" + name + "' must be a whole number");
            }
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw ApiException.badRequest("Query parameter '" + name + "' must be between " + min + " and " + max);
            }
            return n;
        });
    }

    /** A path id: a positive 64-bit number. Anything else cannot name a row, so it is a 404. */
    public static long pathId(ServerRequest req, String name, String what) {
        String v = req.path().pathParameters().first(name).orElse("");
        if (!v.matches("[1-9][0-9]{0,18}")) {
            throw ApiException.notFound(what);
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.notFound(what);
        }
    }

    private static long parseId(String v, String label) {
        if (!v.matches("[1-9][0-9]{0,18}")) {
            throw ApiException.badRequest(label + " must be a positive id");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(label + " must be a positive id");
        }
    }
}
