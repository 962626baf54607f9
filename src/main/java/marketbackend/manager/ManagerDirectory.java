package marketbackend.manager;

import java.util.List;
import java.util.Optional;

import marketbackend.db.Db;
import marketbackend.http.Actor;
import marketbackend.http.ManagerMarkets;
import marketbackend.http.RequestContext;

/**
 * Reads a manager's markets and saved active market from the database on every manager request,
 * so a revoked market is refused at once. Runs as market_manager before the request's market is
 * known, through {@code app.manager_access()}: a SECURITY DEFINER helper that returns the calling
 * manager's own record only (the tables' policies show nothing without a managed market).
 */
public final class ManagerDirectory implements ManagerMarkets {
    private final Db db;

    public ManagerDirectory(Db db) {
        this.db = db;
    }

    @Override
    public Optional<Access> lookup(long userId, String requestId) {
        RequestContext ctx = new RequestContext(Actor.MANAGER, null, userId, requestId, null);
        return db.inMarket(ctx, tx -> tx.get("SELECT role, active_market, array_to_string(markets, ',') AS markets "
                        + "FROM app.manager_access()")
                .map(row -> {
                    String markets = row.column("markets").get(String.class);
                    List<String> list = markets == null || markets.isEmpty() ? List.of() : List.of(markets.split(","));
                    return new Access(list, row.column("active_market").get(String.class),
                            row.column("role").get(String.class));
                }));
    }
}
