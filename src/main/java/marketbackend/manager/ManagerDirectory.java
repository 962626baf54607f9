package marketbackend.manager;

import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Db;
import marketbackend.http.Actor;
import marketbackend.http.ManagerMarkets;
import marketbackend.http.RequestContext;

/**
 * Reads a manager's markets and saved active market from the database on every manager request,
 * so a revoked market is refused at once. Runs as market_manager without a market: the policies
 * on store_managers, store_manager_markets and manager_settings show a manager their own rows only.
 */
public final class ManagerDirectory implements ManagerMarkets {
    private final Db db;

    public ManagerDirectory(Db db) {
        this.db = db;
    }

    @Override
    public Optional<Access> lookup(long userId, String requestId) {
        RequestContext ctx = new RequestContext(Actor.MANAGER, null, userId, requestId, null);
        return db.inMarket(ctx, tx -> {
            Optional<DbRow> manager = tx.get("""
                    SELECT s.role, ms.active_market
                    FROM store_managers s LEFT JOIN manager_settings ms ON ms.user_id = s.user_id
                    WHERE s.user_id = ?""", userId);
            if (manager.isEmpty()) {
                return Optional.empty();
            }
            List<String> markets = tx.query("""
                    SELECT m.market FROM store_manager_markets m JOIN markets k ON k.code = m.market
                    WHERE m.user_id = ? AND k.is_active ORDER BY k.position, k.code""", userId)
                    .stream().map(r -> r.column("market").get(String.class)).toList();
            DbRow row = manager.get();
            return Optional.of(new Access(markets, row.column("active_market").get(String.class),
                    row.column("role").get(String.class)));
        });
    }
}
