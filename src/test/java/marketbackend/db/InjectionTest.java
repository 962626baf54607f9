package marketbackend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.context.Actor;
import marketbackend.context.RequestContext;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.other;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The injection harness (docs/SECURITY.md, "SQL injected into a request"): attacker SQL runs as
 * market_app inside a request's transaction, after the server's own signed context statement, for
 * every request role in both markets. It forges each setting, switches to each role, calls every
 * function of schema app, reads every table and writes where an attacker would. Expected: nothing
 * outside the request's own market and user is read or changed; with a forged, expired or missing
 * context, nothing at all.
 */
class InjectionTest {
    private static final String[] ROLES = {"market_guest", "market_customer", "market_manager", "market_reporter"};

    private final World w = World.get();

    static Stream<Arguments> callers() {
        return Stream.of("KG", "US").flatMap(m -> Stream.of(Actor.GUEST, Actor.CUSTOMER, Actor.MANAGER, Actor.REPORTER)
                .map(a -> Arguments.of(a, m)));
    }

    private RequestContext request(Actor actor, String market) {
        World.Side s = w.side(market);
        Long user = switch (actor) {
            case CUSTOMER -> s.customerA;
            case MANAGER -> s.manager;
            default -> null;
        };
        return new RequestContext(actor, market, user, "attack-" + UUID.randomUUID(), null);
    }

    // ------------------------------------------------------------------ reads

    /** Forging the old settings, or the verified one, changes nothing the request can reach. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("callers")
    void forgedSettingsReachNothingBeyondTheRequest(Actor actor, String market) throws SQLException {
        RequestContext ctx = request(actor, market);
        World.Side victim = w.side(other(market));
        try (Connection c = TestDatabase.get().app()) {
            Sql.begin(c, ctx);
            String verified = verifiedState(c);
            Map<String, Set<String>> baseline = visibleRows(c);
            for (String forge : List.of(
                    "SELECT set_config('app.market', '" + other(market) + "', true), set_config('app.user_id', '"
                            + victim.customerA + "', true), set_config('app.phone', '" + victim.phoneA + "', true)",
                    "SELECT set_config('app.request_id', 'someone-else', true), set_config('app.context', 'x', true)")) {
                Sql.strings(c, forge);
                assertEquals(verified, verifiedState(c), "the verified context did not move");
                assertSubset(baseline, visibleRows(c), forge);
            }
            // the verified context itself cannot be written by the request
            assertEquals("42501", Sql.sqlState(c, "SELECT set_config('backtrace_functions', 'mkctx00', true)"));
            assertEquals("42501", Sql.sqlState(c, "SET LOCAL backtrace_functions = 'mkctx00'"));
            assertEquals("42501", Sql.sqlState(c, "RESET backtrace_functions"));
            assertEquals(verified, verifiedState(c));
            c.rollback();
        }
    }

    /** Switching to any other role (or back to market_app) leaves a context that names another role: nothing. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("callers")
    void switchingRoleReachesNothingAtAll(Actor actor, String market) throws SQLException {
        RequestContext ctx = request(actor, market);
        try (Connection c = TestDatabase.get().app()) {
            for (String role : ROLES) {
                if (role.equals(actor.dbRole())) {
                    continue;
                }
                Sql.begin(c, ctx);
                Sql.strings(c, "SELECT set_config('role', ?, true)", role);
                Map<String, Set<String>> seen = visibleRows(c);
                seen.remove("public.markets");   // reference data without RLS (db-policies/R__10_reference.sql)
                seen.values().removeIf(Set::isEmpty);
                assertThat(actor + " as " + role + " saw " + seen.keySet(), seen.isEmpty(), is(true));
                c.rollback();
            }
            Sql.begin(c, ctx);
            Sql.strings(c, "SELECT set_config('role', 'none', true)");
            assertThat(Sql.strings(c, "SELECT current_user::text"), is(List.of("market_app")));
            Map<String, Set<String>> seen = visibleRows(c);
            seen.values().removeIf(Set::isEmpty);
            assertThat(seen.keySet(), empty());
            c.rollback();
        }
    }

    /** Every function in schema app, called with another market's and user's values, returns nothing of theirs. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("callers")
    void everyHelperAnswersOnlyForTheRequest(Actor actor, String market) throws SQLException {
        RequestContext ctx = request(actor, market);
        World.Side victim = w.side(other(market));
        Set<String> theirs = Set.of(other(market), Long.toString(victim.customerA), Long.toString(victim.manager),
                Long.toString(w.managerBoth));
        try (Connection c = TestDatabase.get().app()) {
            for (String role : ROLES) {
                Sql.begin(c, ctx);
                Sql.strings(c, "SELECT set_config('role', ?, true)", role);
                for (Map.Entry<String, String> call : helperCalls(other(market), victim.customerA,
                        w.side(market).phoneA).entrySet()) {
                    String answer = answer(c, call.getValue());
                    for (String token : answer.split("[^A-Za-z0-9]+")) {
                        assertThat(actor + " " + market + " as " + role + ": " + call.getKey() + " = " + answer,
                                theirs.contains(token), is(false));
                    }
                }
                // a made-up context never verifies, whatever role asks
                assertThat(answer(c, "SELECT app.verify_context('v2|" + ctx.requestId() + "|9999999999|market_app|" + role
                        + "|" + other(market) + "|" + victim.customerA + "|x|||rw|" + "0".repeat(64) + "')"), is(""));
                c.rollback();
            }
        }
    }

    // ------------------------------------------------------------------ writes

    /**
     * The writes an attacker would try, committed: afterwards no row of the database differs (each
     * targets another market, user or request, so each must fail or touch nothing).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("callers")
    void writesOutsideTheRequestChangeNothing(Actor actor, String market) throws SQLException {
        RequestContext ctx = request(actor, market);
        World.Side mine = w.side(market);
        World.Side victim = w.side(other(market));
        String before = fingerprint();
        try (Connection c = TestDatabase.get().app()) {
            Sql.begin(c, ctx);
            List<String> landed = new ArrayList<>();
            for (Object[] write : attacks(actor, market, mine, victim)) {
                String sql = (String) write[0];
                Object[] params = java.util.Arrays.copyOfRange(write, 1, write.length);
                Long touched = touch(c, sql, params);
                if (touched != null && touched > 0) {
                    landed.add(sql);
                }
            }
            c.commit();
            assertThat("writes that landed", landed, empty());
        }
        assertEquals(before, fingerprint(), "a row changed");
    }

    // ------------------------------------------------------------------ the context itself

    /** Forged, expired, missing: the context statement fails, or the transaction sees nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aForgedExpiredOrMissingContextReachesNothing(String market) throws SQLException {
        World.Side s = w.side(market);
        RequestContext manager = new RequestContext(Actor.MANAGER, market, s.manager, "forged", null);
        String genuine = Sql.signed(manager);
        String payload = genuine.substring(0, genuine.lastIndexOf('|'));
        String otherKey = new ContextKey("another-key-that-the-database-does-not-have".getBytes(),
                Duration.ofMinutes(1), java.time.Clock.systemUTC()).sign(manager, "market_app", false);
        String expired = TestDatabase.get().config().contextKeys().signer(java.time.Clock.systemUTC())
                .sign(manager, "market_app", false, Duration.ofSeconds(-1));
        List<String> forgeries = List.of(
                payload + "|" + "0".repeat(64),                                  // made-up signature
                payload.replace("|" + market + "|", "|" + other(market) + "|") + genuine.substring(payload.length()),
                otherKey,                                                        // signed with an unknown key
                expired,
                genuine.replace("market_manager", "market_reporter"),
                "", "v1", genuine + "|");
        try (Connection c = TestDatabase.get().app()) {
            c.setAutoCommit(false);
            for (String forged : forgeries) {
                Savepoint sp = c.setSavepoint();
                try {
                    Sql.enter(c, forged);
                    throw new AssertionError("accepted: " + forged);
                } catch (SQLException e) {
                    assertEquals("28000", e.getSQLState(), forged);
                    c.rollback(sp);
                }
            }
            // missing: market_app on its own reaches no table; as a request role, every helper is NULL
            assertThat(visibleRows(c).values().stream().allMatch(Set::isEmpty), is(true));
            Sql.strings(c, "SELECT set_config('role', 'market_manager', true)");
            Map<String, Set<String>> seen = visibleRows(c);
            seen.remove("public.markets");
            seen.values().removeIf(Set::isEmpty);
            assertThat(seen.keySet(), empty());
            c.rollback();
        }
    }

    /** The genuine statement still works, and its context ends with the transaction. */
    @Test
    void aGenuineContextEndsWithItsTransaction() throws SQLException {
        World.Side s = w.side("KG");
        try (Connection c = TestDatabase.get().app()) {
            Sql.begin(c, new RequestContext(Actor.CUSTOMER, "KG", s.customerA, "genuine", null));
            assertThat(Sql.strings(c, "SELECT app.current_user_id()::text"), is(List.of(Long.toString(s.customerA))));
            c.commit();
            c.setAutoCommit(true);
            assertThat(Sql.strings(c, "SELECT current_setting('backtrace_functions')"), is(List.of("")));
            assertThat(Sql.strings(c, "SELECT current_user::text"), is(List.of("market_app")));
        }
    }

    // ------------------------------------------------------------------ the harness

    /** Every table of schema public, each row as text ("denied" tables as no rows). */
    private static Map<String, Set<String>> visibleRows(Connection c) throws SQLException {
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        for (String table : tables()) {
            Set<String> rows = new HashSet<>();
            Savepoint sp = c.setSavepoint();
            try (PreparedStatement ps = c.prepareStatement("SELECT t::text FROM " + table + " t");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
                c.releaseSavepoint(sp);
            } catch (SQLException e) {
                assertThat(table + ": " + e.getMessage(), e.getSQLState(), is("42501"));
                c.rollback(sp);
                // a role with column grants only (the revenue job on orders): what it may read, it reads of its market
                rows.addAll(columnRows(c, table));
            }
            seen.put(table, rows);
        }
        return seen;
    }

    /** The rows of the columns this role may read, as text, or nothing. */
    private static Set<String> columnRows(Connection c, String table) throws SQLException {
        if (!"true".equals(Sql.strings(c, "SELECT has_schema_privilege('public', 'USAGE')::text").getFirst())) {
            return Set.of();
        }
        List<String> columns = Sql.strings(c, "SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) "
                + "FROM pg_attribute a WHERE a.attrelid = CAST(? AS regclass) AND a.attnum > 0 AND NOT a.attisdropped "
                + "AND has_column_privilege(a.attrelid, a.attnum, 'SELECT')", table);
        if (columns.isEmpty() || columns.getFirst() == null) {
            return Set.of();
        }
        return new HashSet<>(Sql.strings(c, "SELECT row(" + columns.getFirst() + ")::text FROM " + table));
    }

    private static void assertSubset(Map<String, Set<String>> baseline, Map<String, Set<String>> seen, String forge) {
        for (Map.Entry<String, Set<String>> t : seen.entrySet()) {
            Set<String> extra = new HashSet<>(t.getValue());
            extra.removeAll(baseline.get(t.getKey()));
            assertThat("after " + forge + ", more rows of " + t.getKey(), extra, empty());
        }
    }

    private static List<String> tables() throws SQLException {
        try (Connection owner = TestDatabase.get().owner()) {
            return Sql.strings(owner, "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
                    + "WHERE schemaname = 'public' AND tablename <> 'flyway_schema_history' ORDER BY 1");
        }
    }

    /** The role and verified context the transaction runs under. */
    private static String verifiedState(Connection c) throws SQLException {
        return String.join(" ", Sql.strings(c, "SELECT current_user::text UNION ALL SELECT current_setting('backtrace_functions')"));
    }

    /** One call of every function of schema app a request role could reach, with the victim's values. */
    private static Map<String, String> helperCalls(String theirMarket, long victim, String ownPhone) throws SQLException {
        Map<String, String> calls = new LinkedHashMap<>();
        try (Connection owner = TestDatabase.get().owner()) {
            for (String f : Sql.strings(owner, """
                    SELECT p.proname || '(' || coalesce(string_agg(format_type(t, null), ',' ORDER BY o), '') || ')'
                    FROM pg_proc p LEFT JOIN unnest(p.proargtypes) WITH ORDINALITY a(t, o) ON true
                    WHERE p.pronamespace = 'app'::regnamespace AND p.prokind = 'f' AND p.prorettype <> 'trigger'::regtype
                    GROUP BY p.oid, p.proname ORDER BY 1""")) {
                String name = f.substring(0, f.indexOf('('));
                String[] types = f.substring(f.indexOf('(') + 1, f.length() - 1).split(",");
                List<String> args = new ArrayList<>();
                for (String type : types) {
                    switch (type) {
                        case "" -> {
                        }
                        // a phone's market is no secret (its calling code says it): ask about the request's own
                        case "text" -> args.add(name.contains("phone") ? "'" + ownPhone + "'" : "'" + theirMarket + "'");
                        case "integer" -> args.add("6");
                        case "bigint" -> args.add(Long.toString(victim));
                        default -> args.add("NULL");
                    }
                }
                calls.put(f, "SELECT coalesce(string_agg(x::text, ','), '') FROM app." + name + "(" + String.join(", ", args)
                        + ") AS x");
            }
        }
        assertThat(calls.keySet(), not(empty()));
        return calls;
    }

    /** The answer of a call, or "denied". */
    private static String answer(Connection c, String sql) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try {
            String a = Sql.strings(c, sql).getFirst();
            c.releaseSavepoint(sp);
            return a == null ? "" : a;
        } catch (SQLException e) {
            c.rollback(sp);
            assertTrue(List.of("42501", "42883").contains(e.getSQLState()), sql + ": " + e.getMessage());
            return "denied";
        }
    }

    /** Rows touched, or null if refused; behind a savepoint so the transaction goes on. */
    private static Long touch(Connection c, String sql, Object... params) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            long n = ps.execute() ? count(ps.getResultSet()) : ps.getLargeUpdateCount();
            c.releaseSavepoint(sp);
            return n;
        } catch (SQLException e) {
            c.rollback(sp);
            return null;
        }
    }

    private static long count(ResultSet rs) throws SQLException {
        long n = 0;
        while (rs.next()) {
            n++;
        }
        return n;
    }

    /**
     * What the attacks of the issue tried, aimed at another market, manager or request, and for a
     * customer also at another customer of the same market (a manager's scope is the whole market).
     */
    private List<Object[]> attacks(Actor actor, String market, World.Side mine, World.Side victim) {
        String theirs = other(market);
        LocalDate day = LocalDate.of(2401, 1, 1);
        List<Object[]> attacks = new ArrayList<>(List.of(
                new Object[] {"UPDATE revenue_snapshots SET total_revenue = 1 WHERE market = ?", theirs},
                new Object[] {"UPDATE revenue_snapshots SET total_revenue = 1 WHERE id = ?", victim.snapshot},
                new Object[] {"INSERT INTO revenue_snapshots (market, date, currency, total_revenue, total_orders, "
                        + "average_order_value) SELECT code, ?, currency, 1, 1, 1 FROM markets WHERE code = ?", day, theirs},
                new Object[] {"INSERT INTO audit_log (market, manager_id, action, entity, request_id) "
                        + "VALUES (?, ?, 'x', 'y', app.current_request_id())", market, w.managerBoth},
                new Object[] {"INSERT INTO audit_log (market, manager_id, action, entity, request_id) "
                        + "VALUES (?, ?, 'x', 'y', 'another-request')", market, mine.manager},
                new Object[] {"INSERT INTO audit_log (market, manager_id, action, entity, request_id) "
                        + "VALUES (?, ?, 'x', 'y', app.current_request_id())", theirs, victim.manager},
                new Object[] {"INSERT INTO notifications (user_id, title, body) SELECT id, 'Re-enter your card', 'x' "
                        + "FROM users WHERE market = ?", theirs},
                new Object[] {"INSERT INTO notifications (user_id, title, body) VALUES (?, 'Re-enter your card', 'x')",
                        victim.customerA},
                new Object[] {"INSERT INTO orders (user_id, total_amount, address_id, payment_method_id) VALUES (?, 1, ?, ?)",
                        victim.customerA, victim.addressA, victim.paymentA},
                new Object[] {"INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price, line_total) "
                        + "VALUES (?, ?, 'x', 1, 1, 1)", victim.orderA, victim.productActive},
                // stock of an earlier order, even one's own: only the order being placed takes stock
                new Object[] {"INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price, line_total) "
                        + "VALUES (?, ?, 'x', 1, 1, 1)", mine.orderA, w.productAll},
                new Object[] {"UPDATE orders SET status = 'cancelled' WHERE market = ?", theirs},
                new Object[] {"UPDATE products SET stock = 0 WHERE market IN ('ALL', ?)", theirs},
                new Object[] {"UPDATE products SET is_active = false WHERE id = ?", w.productAll},
                new Object[] {"UPDATE product_prices SET price = 0.01 WHERE market = ?", theirs},
                new Object[] {"DELETE FROM product_prices WHERE market = ?", theirs},
                new Object[] {"UPDATE users SET name = 'pwned' WHERE market = ?", theirs},
                new Object[] {"DELETE FROM addresses WHERE user_id = ?", victim.customerA},
                new Object[] {"UPDATE payment_methods SET token = 'tok_attacker' WHERE user_id = ?", victim.customerA},
                new Object[] {"UPDATE manager_settings SET active_market = ? WHERE user_id = ?", theirs, w.managerBoth},
                new Object[] {"INSERT INTO store_manager_markets (user_id, market) VALUES (?, ?)", mine.manager, theirs},
                new Object[] {"UPDATE markets SET is_active = false WHERE code = ?", theirs},
                new Object[] {"SELECT lo_from_bytea(0, 'stash')"},
                new Object[] {"SELECT pg_advisory_lock(42)"},
                new Object[] {"SELECT set_config('backtrace_functions', 'mkctx', true)"}));
        if (actor == Actor.CUSTOMER) {
            attacks.addAll(List.of(
                    new Object[] {"INSERT INTO notifications (user_id, title, body) VALUES (?, 'Re-enter your card', 'x')",
                            mine.customerB},
                    new Object[] {"INSERT INTO orders (user_id, total_amount, address_id, payment_method_id) "
                            + "VALUES (?, 1, ?, ?)", mine.customerB, mine.addressB, mine.paymentB},
                    new Object[] {"UPDATE orders SET status = 'cancelled' WHERE user_id = ?", mine.customerB},
                    new Object[] {"UPDATE users SET name = 'pwned' WHERE id = ?", mine.customerB},
                    new Object[] {"DELETE FROM addresses WHERE user_id = ?", mine.customerB},
                    new Object[] {"UPDATE payment_methods SET token = 'tok_attacker' WHERE user_id = ?", mine.customerB}));
        }
        return attacks;
    }

    /** Every row of every table, as the owner sees it. */
    private static String fingerprint() throws SQLException {
        try (Connection owner = TestDatabase.get().owner()) {
            StringBuilder all = new StringBuilder();
            for (String table : tables()) {
                all.append(table).append('=').append(Sql.strings(owner,
                        "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM " + table + " t").getFirst());
            }
            all.append(" lo=").append(Sql.strings(owner, "SELECT count(*)::text FROM pg_largeobject_metadata").getFirst());
            return all.toString();
        }
    }
}
