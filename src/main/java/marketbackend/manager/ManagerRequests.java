package marketbackend.manager;

import io.helidon.webserver.http.ServerRequest;

import marketbackend.context.Actor;
import marketbackend.context.RequestContext;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;

/** The manager context that {@link marketbackend.http.MarketFilter} decided for a /api/manager request. */
public final class ManagerRequests {
    private ManagerRequests() {
    }

    /** The request's manager context; the filter already checked the market against the database. */
    public static RequestContext context(ServerRequest req) {
        RequestContext ctx = Contexts.of(req);
        if (ctx.actor() != Actor.MANAGER || ctx.userId() == null || ctx.market() == null) {
            throw ApiException.forbidden("Manager access required");
        }
        return ctx;
    }
}
