package marketbackend.db;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.dbclient.DbRow;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.AppConfig;
import marketbackend.context.RequestContext;
import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.other;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The injection harness's "next request" family (docs/SECURITY.md, "Nothing outlives the
 * transaction"): through the server's own pool (Db and Tx, pgjdbc with the server's settings) of
 * ONE connection, an attacker's request of one market runs SQL as market_app after the server's
 * context statement and plants what would outlive its transaction: statements prepared from SQL
 * under the names the server's own statements use, session settings, held cursors, listens,
 * sequence state, signals to another pooled connection. A later request of the other market and
 * another user runs on the same connection. Expected: it runs only its own statements, sees none of
 * the planted state, and nothing is read or written outside its own market and user.
 * {@link NextRequestThroughPgBouncerTest} runs the same through a transaction-mode PgBouncer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NextRequestTest {
    private final World w = World.get();
    private Db db;
    private Db neighbour;
    private String tag;
    private final Map<String, Long> products = new java.util.HashMap<>();

    /** The request pool under test: one connection, so the next request lands on the planted one. */
    Db openPool(int size) throws Exception {
        return Databases.requestPool(TestDatabase.get().config(Map.of("DB_POOL_SIZE", Integer.toString(size))));
    }

    /** True where pgjdbc names its statements (S_1, S_2, ...): not behind a transaction pooler. */
    boolean namedStatements() {
        return true;
    }

    @BeforeAll
    void setUp() throws Exception {
        db = openPool(1);
        neighbour = openPool(1);
        tag = Fixtures.unique("next");
        for (String m : List.of("KG", "US")) {
            products.put(m, Fixtures.product(m, tag + " " + m, null, 5, Map.of(m, "1.00")));
        }
    }

    @AfterAll
    void tearDown() {
        db.close();
        neighbour.close();
    }

    private RequestContext attacker(String market) {
        return RequestContext.customer(market, w.side(market).customerA, "attacker-" + UUID.randomUUID());
    }

    private RequestContext victim(String market) {
        return RequestContext.manager(market, w.side(market).manager, "victim-" + UUID.randomUUID());
    }

    /** The victim's own statement: one row of its market, by id; the same SQL text every time. */
    private Function<Tx, String> victimRead(String market) {
        return tx -> tx.get("SELECT name FROM public.products WHERE id = ?", products.get(market))
                .map(r -> Rows.text(r, "name")).orElse("none");
    }

    // ------------------------------------------------------------------ prepared statements

    /**
     * The attack of the issue: every statement pgjdbc prepared for the server is replaced, under
     * its own name and parameter types, by SQL that renames every product and copies every phone
     * into a session setting. The victim's next request must run its own statement only.
     */
    @ParameterizedTest(name = "attacker {0}")
    @ValueSource(strings = {"KG", "US"})
    void statementsPlantedUnderTheServersNamesNeverRun(String market) throws Exception {
        plantAndCheck(market, false);
    }

    /** The same, with the server's context statement itself replaced: it would receive the signed context. */
    @ParameterizedTest(name = "attacker {0}")
    @ValueSource(strings = {"KG", "US"})
    void aStatementPlantedInPlaceOfTheContextStatementStealsNothing(String market) throws Exception {
        plantAndCheck(market, true);
    }

    private void plantAndCheck(String market, boolean contextStatementToo) throws Exception {
        String target = other(market);
        // the victim's statements become named server-side statements (prepareThreshold 5)
        for (int i = 0; i < 6; i++) {
            assertThat(db.inMarket(victim(target), victimRead(target)), is(tag + " " + target));
        }
        List<String> planted = db.inMarket(attacker(market), tx -> plant(tx, contextStatementToo));
        if (namedStatements()) {
            assertThat("the attacker found the server's statements to replace", planted.isEmpty(), is(false));
        }
        List<String> events;
        String seen;
        try (SecurityLog log = new SecurityLog()) {
            seen = db.inMarket(victim(target), victimRead(target));
            events = log.lines();
        }
        assertThat("the victim ran its own statement", seen, is(tag + " " + target));
        try (Connection owner = TestDatabase.get().owner()) {
            assertEquals(0, Sql.count(owner, "SELECT count(*) FROM products WHERE name LIKE '%planted%'"),
                    "a planted statement renamed products");
        }
        // whatever the planted statements stashed in the session is not there for the attacker's next request
        List<String> stash = db.inMarket(attacker(market), tx -> List.of(
                text(tx, "SELECT coalesce(current_setting('planted.phones', true), '') AS v"),
                text(tx, "SELECT coalesce(current_setting('planted.context', true), '') AS v")));
        assertThat(stash, contains("", ""));
        assertThat(db.inMarket(attacker(market), tx -> tx.query(
                "SELECT name FROM pg_prepared_statements WHERE from_sql")), empty());
        if (!planted.isEmpty()) {
            assertThat("one security event, with the victim's request id", events, hasSize(1));
            assertThat(events.getFirst().contains("SECURITY request victim-"), is(true));
        }
    }

    /** Replaces the server's protocol-level statements (and a few names it will use next) with the attacker's SQL. */
    private static List<String> plant(Tx tx, boolean contextStatementToo) {
        List<String> planted = new ArrayList<>();
        List<DbRow> statements = tx.query("""
                SELECT name, statement, array_to_string(parameter_types::text[], ',') AS types
                FROM pg_prepared_statements WHERE NOT from_sql""");
        for (DbRow s : statements) {
            String name = Rows.text(s, "name");
            boolean isContext = Rows.text(s, "statement").startsWith(Db.CONTEXT_SQL.substring(0, 14));
            if (isContext && !contextStatementToo) {
                continue;
            }
            String types = Rows.optionalText(s, "types");
            String stash = "set_config('planted.phones', coalesce((SELECT string_agg(phone, ',') FROM public.users), ''), false)";
            // pgjdbc also names its COMMIT: replaced by one that runs in the attacker's own transaction too
            String body = isContext ? "SELECT set_config('planted.context', $1::text, false) AS proof"
                    : types == null || types.isEmpty() ? "SELECT " + stash
                    : "WITH renamed AS (UPDATE public.products SET name = name || ' planted' RETURNING 1) SELECT "
                      + stash + " AS name, (SELECT count(*) FROM renamed) AS n";
            tx.dml("DEALLOCATE \"" + name + "\"");
            tx.dml("PREPARE \"" + name + "\"" + (types == null || types.isEmpty() ? "" : "(" + types + ")") + " AS " + body);
            planted.add(name);
        }
        for (int i = 1; i <= 40; i++) {
            String name = "S_" + i;
            if (statements.stream().noneMatch(s -> Rows.text(s, "name").equals(name))) {
                tx.dml("PREPARE \"" + name + "\" AS SELECT set_config('planted.phones', 'ran', false) AS name");
            }
        }
        return planted;
    }

    // ------------------------------------------------------------------ settings, cursors, listens, sequences

    /** Session settings: a read-only default, a search path, a channel value; none reaches the next request. */
    @ParameterizedTest(name = "attacker {0}")
    @ValueSource(strings = {"KG", "US"})
    void sessionSettingsEndWithTheTransaction(String market) {
        String target = other(market);
        db.inMarket(attacker(market), tx -> tx.query("""
                SELECT set_config('default_transaction_read_only', 'on', false),
                       set_config('search_path', 'pg_temp, public', false),
                       set_config('planted.channel', 'from ' || app.current_market(), false),
                       set_config('statement_timeout', '2000', false) AS v"""));
        // the victim writes: a read-only default would refuse it
        RequestContext v = victim(target);
        List<String> seen = db.inMarket(v, tx -> {
            tx.dml("UPDATE public.products SET stock = stock WHERE id = ?", products.get(target));
            return List.of(text(tx, "SELECT coalesce(current_setting('planted.channel', true), '') AS v"),
                    text(tx, "SELECT current_setting('search_path') AS v"),
                    text(tx, "SELECT current_setting('transaction_read_only') AS v"),
                    text(tx, "SELECT current_setting('statement_timeout') AS v"));
        });
        assertThat(seen, contains("", "\"$user\", public", "off", "5s"));
        // and no later transaction of it either
        assertThat(db.inMarket(attacker(market), tx -> text(tx,
                "SELECT current_setting('default_transaction_read_only') AS v")), is("off"));
    }

    /** A cursor WITH HOLD and a LISTEN outlive COMMIT; the next request finds neither. */
    @ParameterizedTest(name = "attacker {0}")
    @ValueSource(strings = {"KG", "US"})
    void heldCursorsAndListensEndWithTheTransaction(String market) {
        String target = other(market);
        db.inMarket(attacker(market), tx -> {
            tx.dml("DECLARE planted CURSOR WITH HOLD FOR SELECT name FROM public.products");
            tx.dml("LISTEN planted");
            return null;
        });
        db.inMarket(victim(target), victimRead(target));
        assertThat(db.inMarket(victim(target), tx -> tx.query(
                "SELECT name FROM pg_cursors WHERE is_holdable UNION ALL SELECT pg_listening_channels()")), empty());
    }

    /** lastval() would answer the id the previous request drew from a sequence: another market's row. */
    @ParameterizedTest(name = "victim {0}")
    @ValueSource(strings = {"KG", "US"})
    void sequenceStateEndsWithTheTransaction(String market) {
        String attackerMarket = other(market);
        RequestContext v = RequestContext.customer(market, w.side(market).customerB, "victim-" + UUID.randomUUID());
        long id = db.inMarket(v, tx -> Rows.number(tx.get("""
                INSERT INTO public.addresses (user_id, line1, city, region, postal_code)
                VALUES (?, 'next request', 'City', 'Region', '12345') RETURNING id""",
                w.side(market).customerB).orElseThrow(), "id"));
        String state = db.inMarket(attacker(attackerMarket), tx -> {
            try {
                return text(tx, "SELECT lastval()::text AS v");
            } catch (RuntimeException e) {
                return sqlState(e);
            }
        });
        assertThat("lastval() after another market's insert of " + id, state, is("55000"));
    }

    // ------------------------------------------------------------------ other sessions

    /** No request role, nor market_app after RESET ROLE, signals another pooled connection or reads its SQL. */
    @ParameterizedTest(name = "attacker {0}")
    @ValueSource(strings = {"KG", "US"})
    void requestsReachNoOtherSession(String market) throws SQLException {
        // another pool's connection, idle after a request of the other market
        int neighbourPid = neighbour.inMarket(victim(other(market)),
                tx -> Integer.parseInt(text(tx, "SELECT pg_backend_pid()::text AS v")));
        for (String asRole : List.of("", "RESET ROLE")) {
            List<String> answers = db.inMarket(attacker(market), tx -> {
                if (!asRole.isEmpty()) {
                    tx.dml(asRole);
                }
                List<String> states = new ArrayList<>();
                for (String sql : List.of(
                        "SELECT pg_cancel_backend(?)::text AS v",
                        "SELECT pg_terminate_backend(?)::text AS v",
                        "SELECT coalesce(string_agg(query, ' '), 'none') AS v FROM pg_stat_activity WHERE pid = ?",
                        "SELECT coalesce(pg_stat_get_backend_activity(s), 'none') AS v "
                                + "FROM pg_stat_get_backend_idset() s WHERE pg_stat_get_backend_pid(s) = ?")) {
                    try (var sp = new Savepoint(tx)) {
                        states.add(text(tx, sql.replace("?", Integer.toString(neighbourPid))));
                    } catch (RuntimeException e) {
                        states.add(sqlState(e));
                    }
                }
                return states;
            });
            assertThat(asRole + " " + answers, answers, contains("42501", "42501", "42501", "42501"));
        }
        try (Connection su = TestDatabase.get().superuser()) {
            assertEquals(1, Sql.count(su, "SELECT count(*) FROM pg_stat_activity WHERE pid = ?", neighbourPid),
                    "the neighbour's connection still lives");
        }
    }

    // ------------------------------------------------------------------ the context itself

    /**
     * A DBA's context (`context`, signed for market_dba) in the hands of SQL injected into a request
     * of the other market: it does not enter as market_app. In the DBA's own psql it does.
     */
    @ParameterizedTest(name = "attacker {0}")
    @ValueSource(strings = {"KG", "US"})
    void aStolenDbaContextDoesNotEnter(String market) throws SQLException {
        String target = other(market);
        String stolen = dbaContext("--role", "manager", "--market", target, "--user",
                Long.toString(w.side(target).manager));
        String refused = db.inMarket(attacker(market), tx -> {
            try (var sp = new Savepoint(tx)) {
                return text(tx, "SELECT coalesce(app.verify_context('" + stolen + "')::text, 'refused') AS v");
            } catch (RuntimeException e) {
                return sqlState(e);
            }
        });
        assertThat(refused, is("refused"));
        try (Connection app = TestDatabase.get().app()) {
            app.setAutoCommit(false);
            SQLException e = assertThrows(SQLException.class, () -> Sql.enter(app, stolen));
            assertThat(e.getSQLState(), is("28000"));
        }
        // the DBA's own login enters it and sees that manager's market
        try (Connection dba = dba()) {
            dba.setAutoCommit(false);
            Sql.enter(dba, stolen);
            assertThat(Sql.strings(dba, "SELECT app.current_market() || ' ' || current_user"),
                    contains(target + " market_manager"));
            dba.rollback();
        }
    }

    /** The read-only flag is signed: a read-only context turned read-write does not verify. */
    @ParameterizedTest(name = "market {0}")
    @ValueSource(strings = {"KG", "US"})
    void theReadOnlyFlagIsSigned(String market) throws SQLException {
        String readOnly = dbaContext("--role", "customer", "--market", market, "--user",
                Long.toString(w.side(market).customerA), "--read-only");
        try (Connection dba = dba()) {
            dba.setAutoCommit(false);
            Sql.enter(dba, readOnly);
            assertThat(Sql.strings(dba, "SELECT current_setting('transaction_read_only')"), contains("on"));
            dba.rollback();
            SQLException e = assertThrows(SQLException.class, () -> Sql.enter(dba, readOnly.replace("|ro|", "|rw|")));
            assertThat(e.getSQLState(), is("28000"));
        }
    }

    private static String dbaContext(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = ContextCommand.run(TestDatabase.get().config(), List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, exit);
        String statement = out.toString(StandardCharsets.UTF_8).trim();
        return statement.substring(statement.indexOf('\'') + 1, statement.lastIndexOf('\''));
    }

    /** psql as a DBA: market_dba, with the password bootstrap gave it. */
    private static Connection dba() throws SQLException {
        AppConfig cfg = TestDatabase.get().config();
        return DriverManager.getConnection(cfg.db().url(), ContextCommand.DBA_LOGIN, cfg.db().dbaPassword());
    }

    private static String text(Tx tx, String sql) {
        return tx.get(sql).map(r -> Rows.optionalText(r, "v")).orElse(null);
    }

    private static String sqlState(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s.getSQLState();
            }
        }
        throw e;
    }

    /** A savepoint around one attempt, rolled back after it, so that a refused statement leaves the transaction usable. */
    private static final class Savepoint implements AutoCloseable {
        private final Tx tx;

        Savepoint(Tx tx) {
            this.tx = tx;
            tx.dml("SAVEPOINT attempt");
        }

        @Override
        public void close() {
            tx.dml("ROLLBACK TO SAVEPOINT attempt");
        }
    }

    /** The security events the server logs while open. */
    private static final class SecurityLog extends Handler implements AutoCloseable {
        private final List<String> lines = new ArrayList<>();

        SecurityLog() {
            Logger.getLogger("").addHandler(this);
        }

        @Override
        public synchronized void publish(LogRecord r) {
            if (r.getMessage() != null && r.getMessage().startsWith("SECURITY ")) {
                lines.add(r.getMessage());
            }
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
        }
    }
}
