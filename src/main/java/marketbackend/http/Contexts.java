package marketbackend.http;

import io.helidon.webserver.http.ServerRequest;

import marketbackend.context.Actor;
import marketbackend.context.Caller;
import marketbackend.context.ManagerAccess;
import marketbackend.context.RequestContext;

/** Reads the {@link Caller} and its {@link RequestContext} that {@link MarketFilter} decided. */
public final class Contexts {
    private Contexts() {
    }

    /** The caller's context: what the database will be told. */
    public static RequestContext of(ServerRequest req) {
        return caller(req).context();
    }

    public static RequestContext customer(ServerRequest req) {
        RequestContext ctx = of(req);
        if (ctx.actor() == Actor.GUEST || ctx.userId() == null) {
            throw ApiException.unauthorized("Log in to use this endpoint");
        }
        return ctx;
    }

    /** Who is calling, as the filter decided it. */
    public static Caller caller(ServerRequest req) {
        return req.context().get(Caller.class)
                .orElseThrow(() -> new IllegalStateException("No caller: is MarketFilter registered?"));
    }

    /** A /api/manager request's manager record, read by the filter in the request's transaction. */
    public static ManagerAccess managerAccess(ServerRequest req) {
        manager(req);
        return caller(req).manager();
    }

    /** A /api/manager request's context; the filter already checked its market against the database. */
    public static RequestContext manager(ServerRequest req) {
        RequestContext ctx = of(req);
        if (ctx.actor() != Actor.MANAGER || ctx.userId() == null || ctx.market() == null) {
            throw ApiException.forbidden("Manager access required");
        }
        return ctx;
    }
}
