package marketbackend.manager;

import java.util.List;
import java.util.Optional;

import marketbackend.context.Actor;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.http.ManagerMarkets;

/**
 * Reads a manager's markets and saved active market from the database on every manager request,
 * so a revoked market is refused at once. Runs as market_manager before the request's market is
 * known, through {@code app.manager_access()}: a SECURITY DEFINER helper that returns the record of
 * the manager the verified context names, and nothing else.
 */
public final class ManagerDirectory implements ManagerMarkets {
    private final Db db;

    public ManagerDirectory(Db db) {
        this.db = db;
    }

    @Override
    public Optional<Access> lookup(Tx tx) {
        return tx.get("SELECT role, active_market, array_to_string(markets, ',') AS markets FROM app.manager_access()")
                .map(row -> {
                    String markets = Rows.optionalText(row, "markets");
                    List<String> list = markets == null || markets.isEmpty() ? List.of() : List.of(markets.split(","));
                    return new Access(list, Rows.optionalText(row, "active_market"), Rows.text(row, "role"));
                });
    }

    @Override
    public Optional<Access> lookup(long userId, String requestId) {
        return db.read(new RequestContext(Actor.MANAGER, null, userId, requestId, null), this::lookup);
    }
}
