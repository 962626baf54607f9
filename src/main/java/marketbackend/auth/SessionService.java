package marketbackend.auth;

import java.time.Duration;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.Caller;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.MarketFilter;
import marketbackend.http.Query;
import marketbackend.value.Paging;

/**
 * {@code GET /api/sessions} (the caller's live sessions) and {@code DELETE /api/sessions/{id}}; under
 * {@code /api/auth} ({@link #auth()}): {@code POST /refresh {refresh_token}}, {@code POST /logout}
 * and {@code POST /logout-all}. Managers use the same endpoints: they run as the user of their own market.
 */
public final class SessionService implements HttpService {
    private static final int MAX_USER_AGENT = 300;

    private final Db db;
    private final Sessions sessions;
    private final RateLimiter refreshesPerAddress;

    public SessionService(Db db, Sessions sessions, SessionSettings settings) {
        this.db = db;
        this.sessions = sessions;
        this.refreshesPerAddress = new RateLimiter(settings.refreshesPerHour(), Duration.ofHours(1));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .delete("/{id}", this::end);
    }

    /** The endpoints that live under /api/auth. */
    public HttpService auth() {
        return rules -> rules.post("/refresh", this::refresh)
                .post("/logout", this::logout)
                .post("/logout-all", this::logoutAll);
    }

    record RefreshRequest(String refreshToken) {
        RefreshRequest {
            if (refreshToken == null) {
                throw new IllegalArgumentException("Field 'refresh_token' is required");
            }
        }
    }

    record RefreshJson(String accessToken, String tokenType, long expiresIn, String refreshToken, long refreshExpiresIn) {
    }

    private void refresh(ServerRequest req, ServerResponse res) {
        long wait = refreshesPerAddress.acquire(Contexts.caller(req).clientAddress());
        if (wait > 0) {
            throw ApiException.tooManyRequests(wait, "Too many refreshes from your address; retry later");
        }
        RefreshRequest body = Json.read(req, RefreshRequest.class);
        Caller caller = Contexts.caller(req);
        Sessions.Grant grant = sessions.refresh(body.refreshToken(), Optional.ofNullable(caller.requestedMarket()),
                caller.context());
        res.header(MarketFilter.X_MARKET, grant.market());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Json.send(res, new RefreshJson(grant.accessToken(), "Bearer", grant.expiresIn(), grant.refreshToken(),
                grant.refreshExpiresIn()));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        db.inMarket(ctx, tx -> SessionRepository.end(tx, ctx.sessionId(), "logout"));
        res.status(204).send();
    }

    private void logoutAll(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        db.inMarket(ctx, tx -> SessionRepository.endAll(tx, "logout_all"));
        res.status(204).send();
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        Paging paging = Query.paging(req);
        Json.send(res, db.inMarket(ctx, tx -> SessionRepository.list(ctx.sessionId()).page(tx, paging)));
    }

    /** Ends one of the caller's sessions, e.g. a lost phone's; another user's is "not found" like a missing one. */
    private void end(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Session");
        if (!db.inMarket(ctx, tx -> SessionRepository.end(tx, id, "logout"))) {
            throw ApiException.notFound("Session");
        }
        res.status(204).send();
    }

    /** The client's User-Agent as shown in the session list: printable, at most 300 characters. */
    static String userAgent(ServerRequest req) {
        return req.headers().first(HeaderNames.USER_AGENT)
                .map(v -> v.replaceAll("\\p{Cntrl}", "").strip())
                .filter(v -> !v.isEmpty())
                .map(v -> v.length() > MAX_USER_AGENT ? v.substring(0, MAX_USER_AGENT) : v)
                .orElse(null);
    }
}
