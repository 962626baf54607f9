package marketbackend.db;

import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import marketbackend.db.PolicyCase.Who;
import marketbackend.support.Fixtures;

import static marketbackend.db.PolicyCase.DENIED;
import static marketbackend.db.PolicyCase.MANAGER;
import static marketbackend.db.PolicyCase.hide;
import static marketbackend.db.PolicyCase.rows;
import static marketbackend.db.PolicyCase.see;

/**
 * revenue_snapshots, store_managers, store_manager_markets, manager_settings, audit_log (managers
 * only): every granted command, allowed and denied, in KG and US.
 */
class ManagerPoliciesTest extends PolicyTable {
    /** A manager of both markets. */
    private static final Who BOTH = new Who("manager of both markets", Rls.MANAGER, h -> Rls.manager(h.market, h.w.managerBoth));
    /** A manager of the market with no settings saved yet. */
    private static final Who NEWCOMER = new Who("new manager", Rls.MANAGER, h -> Rls.manager(h.market, newManager(h)));

    private static final String SNAPSHOT = "INSERT INTO revenue_snapshots (market, date, currency, total_revenue, total_orders, average_order_value) "
            + "SELECT k.code, ?, k.currency, 1.00, 1, 1.00 FROM markets k WHERE k.code = ?";
    private static final String REFRESH = "UPDATE revenue_snapshots SET total_orders = 3, computed_at = now() WHERE id = ?";
    private static final String RECORD = "SELECT user_id FROM store_managers WHERE user_id = ?";
    private static final String GRANTS = "SELECT market FROM store_manager_markets WHERE user_id = ?";
    private static final String SETTINGS = "SELECT user_id FROM manager_settings WHERE user_id = ?";
    private static final String SAVE = "INSERT INTO manager_settings (user_id, active_market) VALUES (?, ?)";
    private static final String SWITCH = "UPDATE manager_settings SET active_market = ?, updated_at = now() WHERE user_id = ?";
    private static final String AUDIT_AS = "INSERT INTO audit_log (market, manager_id, action, entity, entity_id, request_id) "
            + "VALUES (?, ?, 'create', 'product', '1', %s)";
    /** An entry with this request's own (verified) id. */
    private static final String AUDIT = AUDIT_AS.formatted("app.current_request_id()");

    static final List<PolicyCase> CASES = List.of(
            // ---------------------------------------------------------------- revenue_snapshots
            see(MANAGER, "revenue_snapshots", "own market's", h -> List.of(h.mine.snapshot)),
            hide(MANAGER, "revenue_snapshots", "the other market's", h -> List.of(h.theirs.snapshot)),
            new PolicyCase(MANAGER, "own market's", SNAPSHOT, h -> List.of(day(h), h.market), rows(1)),
            new PolicyCase(MANAGER, "the other market's", SNAPSHOT, h -> List.of(day(h), h.other()), DENIED),
            new PolicyCase(MANAGER, "own market's", REFRESH, h -> List.of(h.mine.snapshot), rows(1)),
            new PolicyCase(MANAGER, "the other market's", REFRESH, h -> List.of(h.theirs.snapshot), rows(0)),
            new PolicyCase(MANAGER, "move own market's to the other market", "UPDATE revenue_snapshots SET market = ? WHERE id = ?",
                    h -> List.of(h.other(), h.mine.snapshot), DENIED),
            new PolicyCase(MANAGER, "own market's date", "UPDATE revenue_snapshots SET date = date + 1 WHERE id = ?",
                    h -> List.of(h.mine.snapshot), DENIED),

            // ---------------------------------------------------------------- store_managers, store_manager_markets
            new PolicyCase(MANAGER, "own record", RECORD, h -> List.of(h.mine.manager), rows(1)),
            new PolicyCase(MANAGER, "the other market's manager's", RECORD, h -> List.of(h.theirs.manager), rows(0)),
            new PolicyCase(MANAGER, "a colleague's of both markets", RECORD, h -> List.of(h.w.managerBoth), rows(0)),
            // exactly one grant: the one of the market served
            new PolicyCase(MANAGER, "own grants", GRANTS, h -> List.of(h.mine.manager), rows(1)),
            new PolicyCase(MANAGER, "own grant of this market", GRANTS + " AND market = ?", h -> List.of(h.mine.manager, h.market),
                    rows(1)),
            new PolicyCase(MANAGER, "a colleague's of both markets", GRANTS, h -> List.of(h.w.managerBoth), rows(0)),
            new PolicyCase(MANAGER, "the other market's manager's", GRANTS, h -> List.of(h.theirs.manager), rows(0)),

            // ---------------------------------------------------------------- manager_settings
            new PolicyCase(MANAGER, "own", SETTINGS, h -> List.of(h.mine.manager), rows(1)),
            new PolicyCase(MANAGER, "the other market's manager's", SETTINGS, h -> List.of(h.theirs.manager), rows(0)),
            new PolicyCase(NEWCOMER, "own, with an unmanaged market", SAVE, h -> List.of(newManager(h), h.other()), DENIED),
            new PolicyCase(NEWCOMER, "a colleague's", SAVE,
                    h -> List.of(h.fresh("colleague", () -> Fixtures.manager(h.market, "manager", h.market)), h.market), DENIED),
            new PolicyCase(NEWCOMER, "own, with own market", SAVE, h -> List.of(newManager(h), h.market), rows(1)),
            new PolicyCase(MANAGER, "own, to own market", SWITCH, h -> List.of(h.market, h.mine.manager), rows(1)),
            new PolicyCase(MANAGER, "the other market's manager's", SWITCH, h -> List.of(h.market, h.theirs.manager), rows(0)),
            new PolicyCase(MANAGER, "own, to an unmanaged market", SWITCH, h -> List.of(h.other(), h.mine.manager), DENIED),
            new PolicyCase(MANAGER, "own, handed to a colleague", "UPDATE manager_settings SET user_id = ? WHERE user_id = ?",
                    h -> List.of(h.w.managerBoth, h.mine.manager), DENIED),
            // a manager of both markets may pick either
            new PolicyCase(BOTH, "own, to the other market", SAVE
                    + " ON CONFLICT (user_id) DO UPDATE SET active_market = excluded.active_market",
                    h -> List.of(h.w.managerBoth, h.other()), rows(1)),

            // ---------------------------------------------------------------- audit_log
            see(MANAGER, "audit_log", "own market's", h -> List.of(h.mine.audit)),
            hide(MANAGER, "audit_log", "the other market's", h -> List.of(h.theirs.audit)),
            new PolicyCase(MANAGER, "own action in own market", AUDIT, h -> List.of(h.market, h.mine.manager), rows(1)),
            new PolicyCase(MANAGER, "own action in the other market", AUDIT, h -> List.of(h.other(), h.mine.manager), DENIED),
            new PolicyCase(MANAGER, "a colleague's action", AUDIT, h -> List.of(h.market, h.w.managerBoth), DENIED),
            // another request's id (or none) cannot be claimed: the client's goes to client_request_id
            new PolicyCase(MANAGER, "own action, another request's", AUDIT_AS.formatted("'some-other-request'"),
                    h -> List.of(h.market, h.mine.manager), DENIED),
            new PolicyCase(MANAGER, "own action, no request", AUDIT_AS.formatted("NULL"), h -> List.of(h.market, h.mine.manager),
                    DENIED),
            // append-only
            new PolicyCase(MANAGER, "own market's", "UPDATE audit_log SET action = 'nothing' WHERE id = ?", h -> List.of(h.mine.audit),
                    DENIED),
            new PolicyCase(MANAGER, "own market's", "DELETE FROM audit_log WHERE id = ?", h -> List.of(h.mine.audit), DENIED));

    /** A day far ahead, so that (market, date) is free. */
    private static LocalDate day(PolicyCase.Here h) throws SQLException {
        return h.fresh("day", () -> LocalDate.of(2200, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(30_000)));
    }

    private static long newManager(PolicyCase.Here h) throws SQLException {
        return h.fresh("me", () -> Fixtures.manager(h.market, "manager", h.market));
    }

    @Override
    List<PolicyCase> cases() {
        return CASES;
    }

    @Override
    List<String> tables() {
        return List.of("revenue_snapshots", "store_managers", "store_manager_markets", "manager_settings", "audit_log");
    }
}
