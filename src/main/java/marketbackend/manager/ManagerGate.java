package marketbackend.manager;

import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbClientException;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import marketbackend.context.Actor;
import marketbackend.context.Caller;
import marketbackend.context.ManagerAccess;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.http.ApiException;
import marketbackend.http.MarketFilter;
import marketbackend.http.Problems;

/**
 * The manager API's gate, the filter after {@link MarketFilter}: for a manager's request it opens the
 * request's one transaction, reads the manager's record in it ({@code app.manager_access()}), decides
 * the market (X-Market, else the saved choice, else the first managed one; 403 for one not managed),
 * hands the handler a {@link Caller} that carries both, and closes the transaction when the request
 * ends, whatever happened.
 */
public final class ManagerGate implements Filter {
    private final Db db;

    public ManagerGate(Db db) {
        this.db = db;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<Caller> asked = req.context().get(Caller.class);
        if (asked.isEmpty() || asked.get().context().actor() != Actor.MANAGER) {
            chain.proceed();
            return;
        }
        // entered in the market asked for (if any): when the manager manages it, the handler's work runs
        // under this same context, verified once; a request that only reads holds a read-only transaction
        Method method = req.prologue().method();
        try (Db.Held held = db.hold(asked.get().context().inMarket(asked.get().requestedMarket()),
                method == Method.GET || method == Method.HEAD)) {
            Caller served = decide(asked.get(), held);
            req.context().register(served);
            res.header(MarketFilter.X_MARKET, served.context().market());
            chain.proceed();
        } catch (ApiException | DbClientException e) {
            // refused before routing, or the database failed during the lookup (the transaction is closed by now)
            Problems.handle(req, res, e);
        }
    }

    /** The caller as served: in the market decided from their record, in the transaction it was read in. */
    private static Caller decide(Caller caller, Db.Held held) {
        ManagerAccess access = ManagerRepository.lookup(held.tx())
                .orElseThrow(() -> ApiException.forbidden("Manager access required"));
        RequestContext ctx = caller.context().inMarket(market(access, caller.requestedMarket())).inTransaction(held);
        return caller.asManager(ctx, access);
    }

    /** The X-Market header, else the saved active market, else the first accessible one; 403 if not managed. */
    private static String market(ManagerAccess access, String requested) {
        List<String> accessible = access.accessibleMarkets();
        String market = requested != null ? requested : access.defaultMarket();
        if (market == null) {
            throw ApiException.forbidden("No market is assigned to this manager");
        }
        if (!accessible.contains(market)) {
            throw ApiException.forbidden("No access to " + market + " market");
        }
        return market;
    }
}
