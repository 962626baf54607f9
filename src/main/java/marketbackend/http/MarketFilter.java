package marketbackend.http;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import marketbackend.market.MarketRegistry;
import marketbackend.ops.AccessLog;
import marketbackend.ops.Answered;
import marketbackend.ops.OpsMetrics;

/**
 * Decides who is calling and which market serves the request, once, before any handler runs
 * (DESIGN.md, "How the market of a request is decided"). The result is a {@link RequestContext}
 * in the request context; {@link marketbackend.db.Db#inMarket} hands it to the database.
 * Also writes {@code X-Market} and {@code Vary} on the response, one access-log line and the request
 * metrics per request.
 */
public final class MarketFilter implements Filter {
    public static final HeaderName X_MARKET = HeaderNames.create("X-Market");
    public static final HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-Id");
    /** Answers differ by market, caller and (CORS) origin. */
    public static final String VARY = "X-Market, Authorization, Origin";
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String MANAGER_PATH = "/api/manager";

    private final MarketRegistry markets;
    private final String defaultMarket;
    private final Authenticator authenticator;
    private final ManagerMarkets managerMarkets;

    public MarketFilter(MarketRegistry markets, String defaultMarket, Authenticator authenticator,
                        ManagerMarkets managerMarkets) {
        this.markets = markets;
        this.defaultMarket = defaultMarket;
        this.authenticator = authenticator;
        this.managerMarkets = managerMarkets;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String path = java.util.Objects.requireNonNullElse(req.path().path(), "");
        String requestId = req.headers().first(X_REQUEST_ID)
                .filter(v -> REQUEST_ID.matcher(v).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
        res.header(X_REQUEST_ID, requestId);
        res.header(HeaderNames.VARY, VARY);
        RequestContext ctx = null;
        try {
            RequestHygiene.check(req);
            if (path.startsWith("/api/") || path.equals("/api")) {
                ctx = decide(req, path, requestId);
                req.context().register(ctx);
                if (ctx.market() != null) {
                    res.header(X_MARKET, ctx.market());
                }
            }
            chain.proceed();
        } catch (ApiException | io.helidon.dbclient.DbClientException e) {
            // refused before routing (or the database failed while deciding, e.g. a manager's markets):
            // answer here so that the access log records the real status
            Problems.handle(req, res, e);
        } finally {
            Answered answered = new Answered(req.prologue().method().text(), req.prologue().uriPath().rawPath(),
                    res.status().code(), System.nanoTime() - start,
                    ctx == null || ctx.market() == null ? "-" : ctx.market(),
                    ctx == null ? "-" : ctx.actor().label(),
                    ctx == null || ctx.userId() == null ? "-" : String.valueOf(ctx.userId()),
                    requestId);
            OpsMetrics.request(answered);
            AccessLog.record(answered);
        }
    }

    private RequestContext decide(RoutingRequest req, String path, String requestId) {
        Optional<String> requested = requestedMarket(req);
        Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION);
        boolean managerPath = path.equals(MANAGER_PATH) || path.startsWith(MANAGER_PATH + "/");
        if (authorization.isEmpty()) {
            if (managerPath) {
                throw ApiException.unauthorized("Log in as a manager to use /api/manager");
            }
            return RequestContext.guest(requested.orElse(defaultMarket), requestId);
        }
        Principal principal = authenticator.authenticate(authorization.get());
        if (managerPath) {
            return managerContext(principal, requested, requestId);
        }
        if (requested.isPresent() && !requested.get().equals(principal.market())) {
            throw ApiException.forbidden("Your account belongs to the " + principal.market()
                    + " market; X-Market " + requested.get() + " is not allowed");
        }
        return RequestContext.customer(principal.market(), principal.userId(), requestId);
    }

    private RequestContext managerContext(Principal principal, Optional<String> requested, String requestId) {
        if (!principal.manager()) {
            throw ApiException.forbidden("Manager access required");
        }
        ManagerMarkets.Access access = managerMarkets.lookup(principal.userId(), requestId)
                .orElseThrow(() -> ApiException.forbidden("Manager access required"));
        List<String> accessible = access.accessibleMarkets();
        String market;
        if (requested.isPresent()) {
            market = requested.get();
        } else if (access.activeMarket() != null && accessible.contains(access.activeMarket())) {
            market = access.activeMarket();
        } else if (!accessible.isEmpty()) {
            market = accessible.getFirst();
        } else {
            throw ApiException.forbidden("No market is assigned to this manager");
        }
        if (!accessible.contains(market)) {
            throw ApiException.forbidden("No access to " + market + " market");
        }
        return RequestContext.manager(market, principal.userId(), requestId);
    }

    /** The X-Market header: absent, or exactly one value that is an active market code. */
    private Optional<String> requestedMarket(RoutingRequest req) {
        if (!req.headers().contains(X_MARKET)) {
            return Optional.empty();
        }
        List<String> values = req.headers().get(X_MARKET).allValues();
        if (values.size() != 1) {
            throw ApiException.badRequest("Send X-Market once, with one market code");
        }
        String value = values.getFirst();
        if (markets.find(value).isEmpty()) {
            throw ApiException.badRequest("Unknown market '" + printable(value)
                    + "'; use one of " + String.join(", ", markets.all().stream().map(m -> m.code()).toList()));
        }
        return Optional.of(value);
    }

    private static String printable(String value) {
        String cut = value.length() > 20 ? value.substring(0, 20) + "…" : value;
        StringBuilder sb = new StringBuilder();
        cut.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                sb.appendCodePoint(c);
            } else {
                sb.append('?');
            }
        });
        return sb.toString();
    }
}
