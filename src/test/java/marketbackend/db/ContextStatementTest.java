package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.context.RequestContext;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the context statement does that its cheaper form must keep (db-policies/R__01_helpers.sql,
 * docs/BENCHMARKS.md "What the context statement costs, part by part"): the leftover check finds
 * every planted statement also under a search_path the attacker chose, and the session table is read
 * only for a context that names a session.
 */
class ContextStatementTest {
    private final World w = World.get();

    /** A search_path planted with a statement: the unpinned leftover check still finds and removes it. */
    @ParameterizedTest(name = "attacker {0}")
    @ValueSource(strings = {"KG", "US"})
    void aPlantedSearchPathHidesNoLeftover(String market) throws SQLException {
        try (Connection c = TestDatabase.get().app()) {
            Sql.begin(c, RequestContext.guest(market, "attacker-" + UUID.randomUUID()));
            Sql.strings(c, "SELECT set_config('search_path', 'public, app, pg_temp, pg_catalog', false)");
            Sql.update(c, "PREPARE planted AS SELECT 1");
            c.commit();
            SQLException refused = assertThrows(SQLException.class,
                    () -> Sql.begin(c, RequestContext.guest(Rls.other(market), "victim-" + UUID.randomUUID())));
            assertEquals("MB001", refused.getSQLState());
            c.rollback();
            c.setAutoCommit(true);
            assertEquals(List.of("0"), Sql.strings(c, "SELECT count(*)::text FROM pg_prepared_statements WHERE from_sql"));
        }
    }

    /** No role that can reach the verifier can create an object a planted search_path could put before pg_catalog. */
    @Test
    void theRolesThatEnterAContextCreateNothing() throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            assertEquals(List.of(), Sql.strings(c, """
                    SELECT r.rolname || ' ' || coalesce(n.nspname, 'TEMP')
                    FROM pg_roles r
                    LEFT JOIN pg_namespace n ON has_schema_privilege(r.oid, n.oid, 'CREATE')
                    WHERE has_function_privilege(r.oid, 'app.verify_context(text)', 'EXECUTE')
                      AND r.rolname <> 'market_owner' AND NOT r.rolsuper
                      AND (n.oid IS NOT NULL OR has_database_privilege(r.oid, current_database(), 'TEMP'))"""));
        }
    }

    /** A context without a session reads no row of sessions; one with a session reads it. */
    @Test
    void theSessionTableIsReadOnlyForAContextThatNamesASession() throws SQLException {
        World.Side s = w.side("KG");
        long session;
        try (Connection owner = TestDatabase.get().owner()) {
            session = Sql.insertId(owner, "INSERT INTO sessions (user_id, market, expires_at) VALUES (?, 'KG', now() + interval '1 hour') RETURNING id",
                    s.customerA);
        }
        RequestContext customer = RequestContext.customer("KG", s.customerA, "session-" + UUID.randomUUID());
        assertEquals(0, sessionScans(customer));
        assertEquals(1, sessionScans(customer.inSession(session)));
    }

    /** Scans of sessions in a transaction that enters {@code ctx} (this backend's counters of the transaction). */
    private static long sessionScans(RequestContext ctx) throws SQLException {
        try (Connection c = TestDatabase.get().app()) {
            Sql.begin(c, ctx);
            long scans = Sql.count(c, "SELECT seq_scan + idx_scan FROM pg_stat_xact_user_tables WHERE relid = 'public.sessions'::regclass");
            c.rollback();
            return scans;
        }
    }
}
