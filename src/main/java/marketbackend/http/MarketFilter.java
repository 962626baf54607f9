package marketbackend.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import marketbackend.context.Caller;
import marketbackend.context.RequestContext;
import marketbackend.ops.AccessLog;
import marketbackend.ops.Answered;
import marketbackend.ops.OpsMetrics;

/**
 * The request filter, in order: the request's id, the request's hygiene, the caller
 * ({@link CallerDecider}: who calls and which market serves, once, before any handler runs), then
 * the next filter (a manager's, {@code manager/ManagerGate}) and the handler; problems raised before
 * routing are answered here, and one access-log line and the request metrics are written per request.
 * Handlers read the {@link Caller} and its {@link RequestContext}; {@code db/Db} hands the context to
 * the database.
 */
public final class MarketFilter implements Filter {
    public static final HeaderName X_MARKET = HeaderNames.create("X-Market");
    public static final HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-Id");
    /** Answers differ by market, caller and (CORS) origin. */
    public static final String VARY = "X-Market, Authorization, Origin";

    private final CallerDecider decider;

    public MarketFilter(MarketCodes markets, String defaultMarket, Authenticator authenticator) {
        this.decider = new CallerDecider(markets, defaultMarket, authenticator);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String path = java.util.Objects.requireNonNullElse(req.path().path(), "");
        // our own id is the one the database and the audit log trust; a client's is kept beside it
        RequestId id = RequestId.create();
        // registered first, so that a problem answer raised while deciding the caller carries it too
        req.context().register(id);
        String requestId = id.value();
        String clientRequestId = RequestId.client(req.headers().first(X_REQUEST_ID));
        res.header(X_REQUEST_ID, requestId);
        res.header(HeaderNames.VARY, VARY);
        try {
            RequestHygiene.check(req);
            if (path.startsWith("/api/") || path.equals("/api")) {
                Caller caller = decider.decide(req, path, requestId, clientRequestId);
                req.context().register(caller);
                if (caller.context().market() != null) {
                    res.header(X_MARKET, caller.context().market());
                }
            }
            chain.proceed();
        } catch (ApiException | io.helidon.dbclient.DbClientException e) {
            // refused before routing: answer here so that the access log records the real status
            Problems.handle(req, res, e);
        } finally {
            // the caller as served: a manager's market, or a login's phone market, was decided after this filter's
            record(req, res, start, req.context().get(Caller.class).map(Caller::context).orElse(null), requestId);
        }
    }

    /** One access-log line and the request metrics, after the answer. */
    private static void record(RoutingRequest req, RoutingResponse res, long start, RequestContext ctx, String requestId) {
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
