package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.context.RequestContext;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.assertDenied;
import static marketbackend.db.Rls.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The pool's login role, market_app: an ordinary role that owns nothing and can do nothing until a
 * transaction switches it to a request role, and that is market_app again, with no market, after
 * every transaction. Plus the privileges nobody but the owner may hold.
 */
class LoginRoleTest {

    @Test
    void marketAppIsAnOrdinaryNoInheritLoginRole() throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            assertEquals(List.of("t f f f f f f"), Sql.strings(c, """
                    SELECT concat_ws(' ', rolcanlogin, rolsuper, rolbypassrls, rolinherit, rolcreaterole, rolcreatedb, rolreplication)
                    FROM pg_roles WHERE rolname = 'market_app'""").stream().map(LoginRoleTest::bools).toList());
            // the request roles cannot log in, and bypass nothing either
            assertEquals(List.of("market_customer f f f", "market_guest f f f", "market_manager f f f"), Sql.strings(c, """
                    SELECT rolname || ' ' || concat_ws(' ', rolcanlogin, rolsuper, rolbypassrls)
                    FROM pg_roles WHERE rolname IN ('market_guest', 'market_customer', 'market_manager') ORDER BY rolname""")
                    .stream().map(LoginRoleTest::bools).toList());
            // a member of the request roles, and only of roles like them: never of the owner, a role
            // that can log in or bypass RLS, or a predefined pg_* role (roles are cluster-wide, so
            // another request role may exist; it must be as powerless)
            assertEquals(3, Sql.count(c, """
                    SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                    WHERE m.member = 'market_app'::regrole
                      AND g.rolname IN ('market_guest', 'market_customer', 'market_manager')"""));
            assertEquals(List.of(), Sql.strings(c, """
                    SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                    WHERE m.member = 'market_app'::regrole
                      AND (g.rolname = 'market_owner' OR g.rolname ~ '^pg_' OR g.rolcanlogin OR g.rolsuper
                           OR g.rolbypassrls OR g.rolcreaterole OR g.rolcreatedb OR g.rolreplication)"""));
        }
    }

    @Test
    void marketAppOwnsNothing() throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            assertEquals(0, Sql.count(c, """
                    SELECT (SELECT count(*) FROM pg_class WHERE relowner = 'market_app'::regrole)
                         + (SELECT count(*) FROM pg_proc WHERE proowner = 'market_app'::regrole)
                         + (SELECT count(*) FROM pg_namespace WHERE nspowner = 'market_app'::regrole)
                         + (SELECT count(*) FROM pg_type WHERE typowner = 'market_app'::regrole)
                         + (SELECT count(*) FROM pg_database WHERE datdba = 'market_app'::regrole)"""));
            assertEquals("market_owner", Sql.strings(c, "SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()").getFirst());
        }
    }

    @Test
    void marketAppHoldsNoPrivilegeOfItsOwnButConnectAndEnteringAContext() throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            // app.enter() and its verifier take a signed context; the fingerprint is the start-up check
            assertEquals(List.of("app USAGE", "enter EXECUTE", "leftovers EXECUTE", "schema_fingerprint EXECUTE",
                    "verify_context EXECUTE"),
                    Sql.strings(c, """
                    SELECT c.relname || ' ' || a.privilege_type FROM pg_class c, aclexplode(c.relacl) a
                    WHERE a.grantee = 'market_app'::regrole
                    UNION ALL
                    SELECT n.nspname || ' ' || a.privilege_type FROM pg_namespace n, aclexplode(n.nspacl) a
                    WHERE a.grantee = 'market_app'::regrole
                    UNION ALL
                    SELECT p.proname || ' ' || a.privilege_type FROM pg_proc p, aclexplode(p.proacl) a
                    WHERE a.grantee = 'market_app'::regrole
                    ORDER BY 1"""));
            assertEquals(List.of("CONNECT"), Sql.strings(c, """
                    SELECT a.privilege_type FROM pg_database d, aclexplode(d.datacl) a
                    WHERE d.datname = current_database() AND a.grantee = 'market_app'::regrole"""));
        }
        try (Connection app = TestDatabase.get().app()) {
            // no USAGE on schema public: the unqualified name is not even found
            assertFails("42P01", app, "SELECT count(*) FROM products");
            assertFails("42P01", app, "SELECT count(*) FROM markets");
            assertDenied(app, "SELECT count(*) FROM public.products");
            assertDenied(app, "SELECT app.current_market()");
            assertNull(Sql.strings(app, "SELECT app.verify_context('v2|forged')").getFirst());
            assertDenied(app, "CREATE TABLE public.mine (id int)");
            assertDenied(app, "CREATE TEMPORARY TABLE mine (id int)");
            assertEquals("market_app", Sql.strings(app, "SELECT current_user").getFirst());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"market_owner", "postgres"})
    void marketAppCannotBecomeTheOwnerOrASuperuser(String role) throws SQLException {
        try (Connection app = TestDatabase.get().app()) {
            app.setAutoCommit(false);
            assertDenied(app, "SELECT set_config('role', ?, true)", role);
            assertDenied(app, "SET ROLE " + role);
            assertDenied(app, "SET SESSION AUTHORIZATION " + role);
            app.rollback();
        }
    }

    @Test
    void onlyTheOwnerHoldsTruncateReferencesOrTrigger() throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            assertEquals(List.of(), Sql.strings(c, """
                    SELECT c.relname || ' ' || a.privilege_type || ' to ' || coalesce(g.rolname, 'PUBLIC')
                    FROM pg_class c CROSS JOIN aclexplode(c.relacl) a LEFT JOIN pg_roles g ON g.oid = a.grantee
                    WHERE c.relnamespace IN ('public'::regnamespace, 'app'::regnamespace)
                      AND a.privilege_type IN ('TRUNCATE', 'REFERENCES', 'TRIGGER') AND a.grantee <> c.relowner
                    UNION ALL
                    SELECT c.relname || '.' || t.attname || ' REFERENCES to ' || coalesce(g.rolname, 'PUBLIC')
                    FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid CROSS JOIN aclexplode(t.attacl) a
                    LEFT JOIN pg_roles g ON g.oid = a.grantee
                    WHERE c.relnamespace = 'public'::regnamespace AND a.privilege_type = 'REFERENCES'"""));
            // and none through a role membership: every role but the owner and superusers
            assertEquals(List.of(), Sql.strings(c, """
                    SELECT r.rolname || ' ' || c.relname || ' ' || p FROM pg_roles r
                    CROSS JOIN pg_class c CROSS JOIN unnest(array['TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
                      AND NOT r.rolsuper AND r.rolname <> 'market_owner' AND r.rolname !~ '^pg_'
                      AND has_table_privilege(r.oid, c.oid, p)"""));
        }
        Rls.as(Rls.manager("KG", World.get().side("KG").manager), c -> {
            assertDenied(c, "TRUNCATE audit_log");
            assertDenied(c, "TRUNCATE products");
        });
    }

    @Test
    void nobodyButTheOwnerMayUpdateOrDeleteTheAuditLog() throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            assertEquals(List.of(), Sql.strings(c, """
                    SELECT coalesce(g.rolname, 'PUBLIC') || ' ' || a.privilege_type
                    FROM pg_class c CROSS JOIN aclexplode(c.relacl) a LEFT JOIN pg_roles g ON g.oid = a.grantee
                    WHERE c.oid = 'public.audit_log'::regclass AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
                      AND a.grantee <> c.relowner"""));
            assertEquals(List.of(), Sql.strings(c, """
                    SELECT r.rolname FROM pg_roles r
                    WHERE NOT r.rolsuper AND r.rolname <> 'market_owner' AND r.rolname !~ '^pg_'
                      AND (has_table_privilege(r.oid, 'public.audit_log', 'UPDATE, DELETE, TRUNCATE')
                           OR has_any_column_privilege(r.oid, 'public.audit_log', 'UPDATE'))"""));
            // the predefined pg_write_all_data would have it: no ordinary role may be its member
            assertEquals(0, Sql.count(c, """
                    SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
                    WHERE m.roleid = 'pg_write_all_data'::regrole AND NOT r.rolsuper"""));
        }
    }

    // ------------------------------------------------------------------ the context dies with the transaction

    @ParameterizedTest
    @ValueSource(strings = {"commit", "rollback", "error then rollback", "error then commit"})
    void afterEveryTransactionTheConnectionIsMarketAppWithoutAMarket(String ending) throws SQLException {
        World.Side s = World.get().side("KG");
        try (Connection c = TestDatabase.get().app()) {
            Map<String, String> before = state(c);
            assertEquals("market_app", before.get("user"));
            for (int round = 0; round < 2; round++) {
                Rls.begin(c, Rls.manager("KG", s.manager));
                Map<String, String> inside = state(c);
                assertEquals("market_manager", inside.get("user"));
                assertEquals("KG", inside.get("market"));
                assertEquals(Long.toString(s.manager), inside.get("user_id"));
                assertEquals("5s", inside.get("timeout"));
                switch (ending) {
                    case "commit" -> c.commit();
                    case "rollback" -> c.rollback();
                    default -> {
                        assertFails("22012", c, "SELECT 1 / 0");
                        // an error outside a savepoint aborts the whole transaction
                        assertThrows(SQLException.class, () -> c.createStatement().execute("SELECT 1 / 0"));
                        if (ending.endsWith("commit")) {
                            c.commit(); // the server turns the COMMIT of a failed transaction into a rollback
                        } else {
                            c.rollback();
                        }
                    }
                }
                c.setAutoCommit(true);
                Map<String, String> after = state(c);
                assertEquals(before.get("pid"), after.get("pid"), "the same connection");
                assertEquals("market_app", after.get("user"));
                assertEquals("", after.get("market"));
                assertEquals("", after.get("user_id"));
                assertEquals("", after.get("phone"));
                assertEquals(before.get("timeout"), after.get("timeout"));
                assertFails("42P01", c, "SELECT count(*) FROM products");
            }
        }
    }

    /** The server's own Db over a pool of ONE connection: the next request finds no trace of the last. */
    @Test
    void theServersPoolNeverCarriesAContextIntoTheNextRequest() {
        World.Side s = World.get().side("US");
        Db db = Databases.requestPool(TestDatabase.get().config(Map.of("DB_POOL_SIZE", "1")));
        try {
            DbRow inside = db.inMarket(RequestContext.manager("US", s.manager, "r1"), tx -> tx.get(
                    "SELECT pg_backend_pid() AS pid, current_user::text AS who, app.current_market() AS market")
                    .orElseThrow());
            assertEquals("market_manager", inside.column("who").get(String.class));
            assertEquals("US", inside.column("market").get(String.class));
            int pid = inside.column("pid").get(Integer.class);

            assertThrows(DbClientException.class, () -> db.inMarket(RequestContext.customer("US", s.customerA, "r2"), tx -> {
                tx.get("SELECT 1 / 0");
                return null;
            }));
            assertThrows(IllegalStateException.class, () -> db.inMarket(RequestContext.customer("US", s.customerA, "r3"), tx -> {
                tx.get("SELECT count(*) FROM addresses");
                throw new IllegalStateException("handler failed after a read");
            }));

            try (Connection c = db.connection()) {
                Map<String, String> after = state(c);
                assertEquals(Integer.toString(pid), after.get("pid"), "the pool's only connection");
                assertEquals("market_app", after.get("user"));
                assertEquals("", after.get("context"));
            }

            // a request without a market, on that same connection, sees no catalog row at all
            long rows = db.inMarket(RequestContext.guest(null, "r4"),
                    tx -> tx.get("SELECT count(*) AS n FROM products").orElseThrow().column("n").get(Long.class));
            assertEquals(0, rows);
        } catch (SQLException e) {
            throw new AssertionError(e);
        } finally {
            db.close();
        }
    }

    /** The connection's identity and the verified context it carries, read without any helper. */
    private static Map<String, String> state(Connection c) throws SQLException {
        List<String> v = Sql.strings(c, """
                SELECT unnest(array[pg_backend_pid()::text, current_user::text, current_setting('backtrace_functions'),
                       split_part(current_setting('backtrace_functions'), ',', 3),
                       split_part(current_setting('backtrace_functions'), ',', 4),
                       split_part(current_setting('backtrace_functions'), ',', 6),
                       current_setting('statement_timeout')])""");
        return Map.of("pid", v.get(0), "user", v.get(1), "context", v.get(2), "market", v.get(3), "user_id", v.get(4),
                "phone", v.get(5), "timeout", v.get(6));
    }

    private static String bools(String s) {
        return s.replace("true", "t").replace("false", "f");
    }
}
