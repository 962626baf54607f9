package marketbackend.db;

import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;
import marketbackend.support.Sql;

import static marketbackend.db.Rls.as;
import static marketbackend.db.Rls.assertAllowed;
import static marketbackend.db.Rls.assertDenied;
import static marketbackend.db.Rls.assertHidden;
import static marketbackend.db.Rls.assertSees;
import static marketbackend.db.Rls.assertTouches;
import static marketbackend.db.Rls.manager;
import static marketbackend.db.Rls.other;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * revenue_snapshots, store_managers, store_manager_markets, manager_settings, audit_log (managers
 * only): every granted command, allowed and denied, in KG and US.
 */
class ManagerPoliciesTest {
    private static final String SNAPSHOT = "INSERT INTO revenue_snapshots (market, date, currency, total_revenue, total_orders, average_order_value) "
            + "SELECT k.code, ?, k.currency, 1.00, 1, 1.00 FROM markets k WHERE k.code = ?";
    private static final String AUDIT_AS = "INSERT INTO audit_log (market, manager_id, action, entity, entity_id, request_id) "
            + "VALUES (?, ?, 'create', 'product', '1', %s)";
    /** An entry with this request's own (verified) id. */
    private static final String AUDIT = AUDIT_AS.formatted("app.current_request_id()");

    private final World w = World.get();

    // ------------------------------------------------------------------ revenue_snapshots

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerSeesRevenueOfTheirMarketOnly(String market) throws SQLException {
        var s = w.side(market);
        as(manager(market, s.manager), c -> {
            assertSees(c, "revenue_snapshots", s.snapshot);
            assertHidden(c, "revenue_snapshots", w.side(other(market)).snapshot);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerRecordsRevenueOfTheirMarketOnly(String market) throws SQLException {
        LocalDate day = LocalDate.of(2200, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(30_000));
        as(manager(market, w.side(market).manager), c -> {
            assertTouches(1, c, SNAPSHOT, day, market);
            assertDenied(c, SNAPSHOT, day, other(market));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerRefreshesRevenueOfTheirMarketOnly(String market) throws SQLException {
        var s = w.side(market);
        as(manager(market, s.manager), c -> {
            assertTouches(1, c, "UPDATE revenue_snapshots SET total_orders = 3, computed_at = now() WHERE id = ?", s.snapshot);
            assertTouches(0, c, "UPDATE revenue_snapshots SET total_orders = 3 WHERE id = ?", w.side(other(market)).snapshot);
            assertDenied(c, "UPDATE revenue_snapshots SET market = ? WHERE id = ?", other(market), s.snapshot);
            assertDenied(c, "UPDATE revenue_snapshots SET date = date + 1 WHERE id = ?", s.snapshot);
        });
    }

    // ------------------------------------------------------------------ store_managers, store_manager_markets

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerSeesOwnManagerRecordOnly(String market) throws SQLException {
        long me = w.side(market).manager;
        as(manager(market, me), c -> {
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM store_managers WHERE user_id = ?", me));
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM store_managers WHERE user_id = ?", w.side(other(market)).manager));
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM store_managers WHERE user_id = ?", w.managerBoth));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerSeesOwnMarketGrantsOnly(String market) throws SQLException {
        long me = w.side(market).manager;
        as(manager(market, me), c -> {
            assertEquals(List.of(market),
                    Sql.strings(c, "SELECT market FROM store_manager_markets WHERE user_id = ?", me));
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM store_manager_markets WHERE user_id = ?", w.managerBoth));
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM store_manager_markets WHERE user_id = ?", w.side(other(market)).manager));
        });
    }

    // ------------------------------------------------------------------ manager_settings

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerSeesOwnSettingsOnly(String market) throws SQLException {
        long me = w.side(market).manager;
        as(manager(market, me), c -> {
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM manager_settings WHERE user_id = ?", me));
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM manager_settings WHERE user_id = ?", w.side(other(market)).manager));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerCreatesOwnSettingsWithAMarketTheyManageOnly(String market) throws SQLException {
        long me = Fixtures.manager(market, "manager", market);
        long colleague = Fixtures.manager(market, "manager", market);
        String insert = "INSERT INTO manager_settings (user_id, active_market) VALUES (?, ?)";
        as(manager(market, me), c -> {
            assertDenied(c, insert, me, other(market));
            assertDenied(c, insert, colleague, market);
            assertTouches(1, c, insert, me, market);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerChangesOwnSettingsToAMarketTheyManageOnly(String market) throws SQLException {
        long me = w.side(market).manager;
        as(manager(market, me), c -> {
            assertTouches(1, c, "UPDATE manager_settings SET active_market = ?, updated_at = now() WHERE user_id = ?", market, me);
            assertTouches(0, c, "UPDATE manager_settings SET active_market = ? WHERE user_id = ?", market, w.side(other(market)).manager);
            assertDenied(c, "UPDATE manager_settings SET active_market = ? WHERE user_id = ?", other(market), me);
            assertDenied(c, "UPDATE manager_settings SET user_id = ? WHERE user_id = ?", w.managerBoth, me);
        });
        // a manager of both markets may pick either
        as(manager(market, w.managerBoth), c -> assertAllowed(c,
                "INSERT INTO manager_settings (user_id, active_market) VALUES (?, ?) "
                        + "ON CONFLICT (user_id) DO UPDATE SET active_market = excluded.active_market", w.managerBoth, other(market)));
    }

    // ------------------------------------------------------------------ audit_log

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerReadsAuditLogOfTheirMarketOnly(String market) throws SQLException {
        var s = w.side(market);
        as(manager(market, s.manager), c -> {
            assertSees(c, "audit_log", s.audit);
            assertHidden(c, "audit_log", w.side(other(market)).audit);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerAppendsOwnActionsInTheirMarketOnly(String market) throws SQLException {
        long me = w.side(market).manager;
        as(manager(market, me), c -> {
            assertTouches(1, c, AUDIT, market, me);
            assertDenied(c, AUDIT, other(market), me);
            assertDenied(c, AUDIT, market, w.managerBoth);
            // another request's id (or none) cannot be claimed: the client's goes to client_request_id
            assertDenied(c, AUDIT_AS.formatted("'some-other-request'"), market, me);
            assertDenied(c, AUDIT_AS.formatted("NULL"), market, me);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void auditLogIsAppendOnlyForManagers(String market) throws SQLException {
        var s = w.side(market);
        as(manager(market, s.manager), c -> {
            assertDenied(c, "UPDATE audit_log SET action = 'nothing' WHERE id = ?", s.audit);
            assertDenied(c, "DELETE FROM audit_log WHERE id = ?", s.audit);
        });
    }
}
