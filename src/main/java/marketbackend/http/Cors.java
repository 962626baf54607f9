package marketbackend.http;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * CORS for browser storefronts on other origins: only the origins in {@code CORS_ALLOWED_ORIGINS}
 * (comma-separated, exact {@code scheme://host[:port]}; none by default). Runs before
 * {@link MarketFilter}: a preflight carries no token, so it is answered here, before any check.
 * Tokens travel in {@code Authorization}, never in cookies, so credentials are not allowed.
 */
public final class Cors implements Filter {
    static final String ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE";
    static final String ALLOW_HEADERS = "X-Market, Authorization, Idempotency-Key, Content-Type";
    static final String EXPOSE_HEADERS = "X-Market, X-Request-Id";
    private static final HeaderName REQUEST_METHOD = HeaderNames.create("Access-Control-Request-Method");

    private final Set<String> origins;

    public Cors(Set<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    /** {@code CORS_ALLOWED_ORIGINS}: a comma-separated list of exact origins, or empty. */
    public static Cors fromSetting(String value) {
        Set<String> set = value == null ? Set.of() : Arrays.stream(value.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        for (String origin : set) {
            if (!origin.matches("https?://[A-Za-z0-9.\\[\\]:-]+")) {
                throw new IllegalStateException("CORS_ALLOWED_ORIGINS: '" + origin
                        + "' is not an origin like https://shop.example.com or http://127.0.0.1:3000");
            }
        }
        return new Cors(set);
    }

    /** The allowed origin this request came from, remembered for answers built after an error. */
    record Allowed(String origin) {
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
        boolean preflight = req.prologue().method() == Method.OPTIONS && req.headers().contains(REQUEST_METHOD);
        if (origin == null || !origins.contains(origin)) {
            if (preflight) {
                // no CORS headers: the browser refuses the call; nothing else happens
                res.status(403).header(HeaderNames.VARY, MarketFilter.VARY).send();
                return;
            }
            chain.proceed();
            return;
        }
        req.context().register(new Allowed(origin));
        apply(req, res);
        if (preflight) {
            res.status(204)
                    .header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS)
                    .header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS)
                    .header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "600")
                    .header(HeaderNames.VARY, MarketFilter.VARY)
                    .send();
            return;
        }
        chain.proceed();
    }

    /** (Re)writes the CORS answer headers, also on error answers that lost them. */
    static void apply(ServerRequest req, ServerResponse res) {
        req.context().get(Allowed.class).ifPresent(a -> {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, a.origin());
            res.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
        });
    }
}
