package marketbackend.manager;

import java.util.List;
import java.util.Optional;

import marketbackend.context.ManagerAccess;
import marketbackend.db.Rows;
import marketbackend.db.Tx;

/**
 * The server's home of the manager records ({@code store_managers}, {@code store_manager_markets},
 * {@code manager_settings}; the {@code grant-manager} command writes the first two). Reads a
 * manager's markets and saved active market from the database on every manager request, so a
 * revoked market is refused at once. Runs as market_manager before the request's market is known,
 * through {@code app.manager_access()}: a SECURITY DEFINER helper that returns the record of the
 * manager the verified context names, and nothing else.
 */
public final class ManagerRepository {
    private ManagerRepository() {
    }

    /** The record of the manager the transaction runs as, or empty if not (or no longer) a manager. */
    public static Optional<ManagerAccess> lookup(Tx tx) {
        return tx.get("""
                SELECT role, active_market, array_to_string(markets, ',') AS markets, home_market, phone
                FROM app.manager_access()""")
                .map(row -> {
                    String markets = Rows.optionalText(row, "markets");
                    List<String> list = markets == null || markets.isEmpty() ? List.of() : List.of(markets.split(","));
                    return new ManagerAccess(list, Rows.optionalText(row, "active_market"), Rows.text(row, "role"),
                            Rows.text(row, "home_market"), Rows.text(row, "phone"));
                });
    }

    /** The active market the manager saved, if any. */
    static Optional<String> savedMarket(Tx tx, long userId) {
        return tx.get("SELECT active_market FROM manager_settings WHERE user_id = ?", userId)
                .map(r -> Rows.optionalText(r, "active_market"));
    }

    /** Saves the manager's active market; the policy checks again that they manage it (WITH CHECK). */
    static void saveMarket(Tx tx, long userId, String market) {
        tx.dml("""
                INSERT INTO manager_settings (user_id, active_market, updated_at) VALUES (?, ?, now())
                ON CONFLICT (user_id) DO UPDATE SET active_market = excluded.active_market, updated_at = now()""",
                userId, market);
    }
}
