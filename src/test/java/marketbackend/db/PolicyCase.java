package marketbackend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import marketbackend.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One row of a policy table: who runs one statement, what it is aimed at, and what must come of it
 * (rows seen or touched, the market a write returns, or an SQLSTATE). The policy tests list their
 * cases once; each case runs in KG and in US, in its own request transaction that is rolled back,
 * so no case leans on another.
 */
record PolicyCase(Who who, String what, String sql, Args args, Expect expected) {

    /** The market a case runs in, the World's rows of both markets, and values made fresh for this run. */
    static final class Here {
        final String market;
        final World w = World.get();
        final World.Side mine;
        final World.Side theirs;
        /** The request's connection, for arguments that are rows of this very transaction. */
        Connection c;
        private final Map<String, Object> fresh = new HashMap<>();

        Here(String market) {
            this.market = market;
            this.mine = w.side(market);
            this.theirs = w.side(other());
        }

        String other() {
            return Rls.other(market);
        }

        /** A value made once per run of the case (a new user, an unused phone), shared by its context and arguments. */
        @SuppressWarnings("unchecked")
        <T> T fresh(String name, Make<T> make) throws SQLException {
            if (!fresh.containsKey(name)) {
                fresh.put(name, make.make());
            }
            return (T) fresh.get(name);
        }
    }

    @FunctionalInterface
    interface Make<T> {
        T make() throws SQLException;
    }

    @FunctionalInterface
    interface Context {
        Rls.Ctx of(Here h) throws SQLException;
    }

    @FunctionalInterface
    interface Args {
        List<Object> of(Here h) throws SQLException;
    }

    /** A caller: the role it runs as, and its context in the market of the case. */
    record Who(String name, String role, Context context) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Who GUEST = new Who("guest", Rls.GUEST, h -> Rls.guest(h.market));
    static final Who GUEST_A = new Who("guest with A's phone", Rls.GUEST, h -> Rls.guest(h.market, h.mine.phoneA));
    static final Who CUSTOMER_A = new Who("customer A", Rls.CUSTOMER, h -> Rls.customer(h.market, h.mine.customerA));
    static final Who MANAGER = new Who("manager", Rls.MANAGER, h -> Rls.manager(h.market, h.mine.manager));

    /**
     * What a statement must come to in the market {@code m}: its {@code outcome} text. A case is
     * allowed when it reaches a row; hidden rows (0 rows) and refusals (an SQLSTATE) are denied.
     * {@code <market>}, {@code <other>} and {@code <currency>} stand for the case's market, the other
     * market and the case market's currency.
     */
    record Expect(String outcome, boolean allowed) {
        String in(String market) {
            return outcome.replace("<market>", market).replace("<other>", Rls.other(market))
                    .replace("<currency>", CURRENCIES.get(market));
        }

        /** Whether the statement's answer is its first column's values, not the rows it counts. */
        boolean values() {
            return outcome.startsWith("returns ");
        }

        boolean hidden() {
            return outcome.equals("0 rows");
        }

        @Override
        public String toString() {
            return outcome;
        }
    }

    /** Sees or touches {@code n} rows. */
    static Expect rows(int n) {
        return new Expect(n + " rows", n > 0);
    }

    /** The currency each market sells in. */
    static final Map<String, String> CURRENCIES = Map.of("KG", "KGS", "US", "USD");

    /** A write whose RETURNING market is the market of the request (set by the database). */
    static final Expect RETURNS_MARKET = new Expect("returns <market>", true);
    /** A query or write that returns no row at all, not even an empty value. */
    static final Expect RETURNS_NOTHING = new Expect("returns nothing", false);

    /** A query or write whose first column is {@code value} (several rows joined by commas). */
    static Expect returns(String value) {
        return new Expect("returns " + value, true);
    }

    /** A query that runs and answers {@code value}, and that answer is a refusal (no code, no right). */
    static Expect refuses(String value) {
        return new Expect("returns " + value, false);
    }
    /** Refused by a grant or a policy's WITH CHECK. */
    static final Expect DENIED = fails(Rls.DENIED);

    /** Refused with this SQLSTATE (a constraint or trigger behind the policy). */
    static Expect fails(String sqlState) {
        return new Expect("SQLSTATE " + sqlState, false);
    }

    static Args none() {
        return h -> List.of();
    }

    /** The row with this id is visible. */
    static PolicyCase see(Who who, String table, String what, Args id) {
        return new PolicyCase(who, what, "SELECT id FROM " + table + " WHERE id = ?", id, rows(1));
    }

    /** The row with this id exists (the owner sees it) and is hidden from {@code who}. */
    static PolicyCase hide(Who who, String table, String what, Args id) {
        return new PolicyCase(who, what, "SELECT id FROM " + table + " WHERE id = ?", id, rows(0));
    }

    /** The command, read from the statement: SELECT, INSERT, UPDATE or DELETE. */
    String command() {
        return sql.strip().split("\\s+")[0].toUpperCase(java.util.Locale.ROOT);
    }

    /** The table the statement is aimed at. */
    String table() {
        String[] words = sql.strip().split("[\\s(]+");
        String before = switch (command()) {
            case "INSERT" -> "INTO";
            case "UPDATE" -> "UPDATE";
            default -> "FROM";
        };
        for (int i = 0; i < words.length - 1; i++) {
            if (words[i].equalsIgnoreCase(before)) {
                return words[i + 1];
            }
        }
        throw new IllegalStateException("no table in: " + sql);
    }

    @Override
    public String toString() {
        return who + " " + command() + " " + table() + " (" + what + ") -> " + expected;
    }

    /** Opens the request transaction of a case in {@code market} as {@code ctx}, runs {@code work}, rolls back. */
    @FunctionalInterface
    interface Request {
        void as(String market, Rls.Ctx ctx, Rls.Work work) throws SQLException;
    }

    /** A request of the server, both markets open. */
    static final Request SERVED = (market, ctx, work) -> Rls.as(ctx, work);

    /** Runs the case in {@code market} as a request of the server and asserts its outcome. */
    void run(String market) throws SQLException {
        run(market, SERVED);
    }

    /** Runs the case in {@code market} in a transaction opened by {@code request} and asserts its outcome. */
    void run(String market, Request request) throws SQLException {
        Here h = new Here(market);
        List<Object> params = new ArrayList<>();
        String[] actual = new String[1];
        request.as(market, who.context().of(h), c -> {
            h.c = c;
            params.addAll(args.of(h));
            actual[0] = outcome(c, sql, params, expected.values());
        });
        assertEquals(expected.in(market), actual[0], () -> market + " " + this + ": " + sql);
        if (expected.hidden()) {
            // a row the request does not reach must exist, or the case proves nothing
            try (Connection owner = TestDatabase.get().owner()) {
                owner.setAutoCommit(false);
                String asOwner = outcome(owner, sql, params, false);
                owner.rollback();
                assertTrue(asOwner.matches("[1-9][0-9]* rows"), () -> market + " " + this + ": the owner gets " + asOwner);
            }
        }
    }

    /**
     * {@code n rows} (seen, or touched by a write), {@code returns v} (a write's RETURNING, or a
     * query's first column when {@code values}), or {@code SQLSTATE s}.
     */
    private static String outcome(Connection c, String sql, List<Object> params, boolean values) throws SQLException {
        var sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            if (!ps.execute()) {
                return ps.getUpdateCount() + " rows";
            }
            List<String> found = new ArrayList<>();
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            if (!values && sql.strip().regionMatches(true, 0, "SELECT", 0, 6)) {
                return found.size() + " rows";
            }
            return found.isEmpty() ? "returns nothing" : "returns " + String.join(",", found);
        } catch (SQLException e) {
            c.rollback(sp);
            return "SQLSTATE " + e.getSQLState();
        }
    }

    /** Which commands of a role on a table a policy table must cover. */
    @FunctionalInterface
    interface Covers {
        boolean covers(String table, String role, String command);
    }

    /**
     * Asserts that the cases hold an allowed and a denied case for every command a request role may
     * run on each of {@code tables} that {@code covers} (by default the grants of {@link Grants}).
     */
    static void assertCover(List<PolicyCase> cases, List<String> tables, Covers covers) {
        Set<String> missing = new TreeSet<>();
        for (String table : tables) {
            for (String role : Grants.ROLES) {
                for (String command : Grants.COMMANDS) {
                    if (!covers.covers(table, role, command)) {
                        continue;
                    }
                    for (boolean allowed : new boolean[] {true, false}) {
                        boolean found = cases.stream().anyMatch(k -> k.who.role().equals(role) && k.table().equals(table)
                                && k.command().equals(command) && k.expected.allowed() == allowed);
                        if (!found) {
                            missing.add(role + " " + command + " " + table + (allowed ? " allowed" : " denied"));
                        }
                    }
                }
            }
        }
        assertEquals(Set.of(), missing, "policy cases missing");
    }
}
