package marketbackend.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static marketbackend.db.Rls.customer;
import static marketbackend.db.Rls.guest;
import static marketbackend.db.Rls.manager;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grants and policies as a whole: exactly the documented privileges, RLS enabled and forced on
 * every table with market data, one permissive policy per granted role and command, and every
 * command that is not granted refused with 42501 at run time, in both markets.
 */
class GrantMatrixTest {
    private static final List<String> ALL_PRIVILEGES =
            List.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER");

    @Test
    void requestRolesHoldExactlyTheDocumentedPrivileges() throws SQLException {
        List<Executable> checks = new ArrayList<>();
        try (Connection c = TestDatabase.get().owner()) {
            for (String table : Grants.tables()) {
                for (String role : Grants.ALL_ROLES) {
                    Set<String> actual = privileges(c, role, table);
                    Set<String> expected = Grants.of(table, role);
                    checks.add(() -> assertEquals(expected, actual, role + " on " + table));
                }
                for (String role : List.of("market_app", "public")) {
                    Set<String> actual = privileges(c, role, table);
                    checks.add(() -> assertEquals(Set.of(), actual, role + " on " + table));
                }
            }
        }
        assertAll(checks);
    }

    @Test
    void everyTableWithMarketDataHasRowLevelSecurityEnabledAndForced() throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            Set<String> all = new TreeSet<>(Sql.strings(c,
                    "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')"));
            Set<String> listed = new TreeSet<>(Grants.RLS_TABLES);
            listed.addAll(Grants.NO_RLS_TABLES);
            assertEquals(listed, all, "a new table needs its policies and a place in these tests");
            Set<String> secured = new TreeSet<>(Sql.strings(c, "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                    + "AND relkind IN ('r', 'p') AND relrowsecurity AND relforcerowsecurity"));
            assertEquals(new TreeSet<>(Grants.RLS_TABLES), secured);
            // nothing else in the schemas is open to the request roles: no sequence, no view
            assertEquals(List.of(), Sql.strings(c, """
                    SELECT c.relname || ' ' || r.rolname FROM pg_class c
                    CROSS JOIN pg_roles r
                    WHERE c.relnamespace IN ('public'::regnamespace, 'app'::regnamespace) AND c.relkind IN ('S', 'v', 'm')
                      AND r.rolname IN ('market_app', 'market_guest', 'market_customer', 'market_manager')
                      AND (has_sequence_privilege(r.oid, c.oid, 'USAGE, SELECT, UPDATE') AND c.relkind = 'S'
                           OR c.relkind <> 'S' AND has_table_privilege(r.oid, c.oid, 'SELECT, INSERT, UPDATE, DELETE'))"""));
        }
    }

    @Test
    void everyGrantedCommandHasExactlyOnePermissivePolicyForOneRole() throws SQLException {
        Map<String, String> byKey = new HashMap<>();
        List<Executable> checks = new ArrayList<>();
        try (Connection c = TestDatabase.get().owner();
             PreparedStatement ps = c.prepareStatement("SELECT tablename, policyname, permissive, roles::text[], cmd "
                     + "FROM pg_policies WHERE schemaname = 'public' ORDER BY tablename, policyname");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String table = rs.getString(1);
                String name = rs.getString(2);
                String[] roles = (String[]) rs.getArray(4).getArray();
                String cmd = rs.getString(5);
                String permissive = rs.getString(3);
                checks.add(() -> assertEquals("PERMISSIVE", permissive, name));
                checks.add(() -> assertEquals(1, roles.length, name + " is for exactly one role"));
                String key = table + " " + roles[0] + " " + cmd;
                String previous = byKey.put(key, name);
                checks.add(() -> assertEquals(null, previous, "two policies for " + key + ": " + previous + " / " + name));
            }
        }
        Set<String> expected = new TreeSet<>();
        for (String table : Grants.RLS_TABLES) {
            for (String role : Grants.ALL_ROLES) {
                for (String cmd : Grants.COMMANDS) {
                    if (Grants.allows(table, role, cmd)) {
                        expected.add(table + " " + role + " " + cmd);
                    }
                }
            }
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(byKey.keySet());
        Set<String> unexpected = new TreeSet<>(byKey.keySet());
        unexpected.removeAll(expected);
        checks.add(() -> assertEquals(Set.of(), missing, "granted commands without a policy"));
        checks.add(() -> assertEquals(Set.of(), unexpected, "policies for commands that are not granted"));
        assertAll(checks);
    }

    /** Names are sentences a DBA reads; PostgreSQL silently cuts them at 63 bytes, so the files must not exceed it. */
    @Test
    void policyNamesInTheFilesAreTheNamesInTheDatabase() throws SQLException, IOException {
        Pattern create = Pattern.compile("create policy \"([^\"]+)\"\\s+on (\\w+)");
        Set<String> inFiles = new TreeSet<>();
        try (var files = Files.list(Path.of("db-policies"))) {
            for (var f : files.filter(x -> x.getFileName().toString().matches("R__.*\\.sql")).toList()) {
                Matcher m = create.matcher(Files.readString(f));
                while (m.find()) {
                    String name = m.group(1);
                    assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 63, "longer than 63 bytes: " + name);
                    inFiles.add(m.group(2) + ": " + name);
                }
            }
        }
        try (Connection c = TestDatabase.get().owner()) {
            assertEquals(inFiles, new TreeSet<>(Sql.strings(c,
                    "SELECT tablename || ': ' || policyname FROM pg_policies WHERE schemaname = 'public'")));
        }
    }

    /** {@code (select app.helper())} runs once per query (an InitPlan); a bare call runs once per row. */
    @Test
    void policiesCallHelpersOncePerQuery() throws SQLException {
        Pattern call = Pattern.compile("app\\.[a-z_]+\\(");
        List<String> bare = new ArrayList<>();
        try (Connection c = TestDatabase.get().owner();
             PreparedStatement ps = c.prepareStatement("SELECT tablename || ': ' || policyname, "
                     + "coalesce(qual, '') || ' ' || coalesce(with_check, '') FROM pg_policies WHERE schemaname = 'public'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String expr = rs.getString(2);
                Matcher m = call.matcher(expr);
                while (m.find()) {
                    if (!expr.substring(0, m.start()).endsWith("SELECT ")) {
                        bare.add(rs.getString(1) + " -> " + expr.substring(m.start(), Math.min(expr.length(), m.end() + 20)));
                    }
                }
            }
        }
        assertEquals(List.of(), bare);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void everyCommandNotGrantedFailsWith42501(String market) throws SQLException {
        World w = World.get();
        var s = w.side(market);
        Map<String, Rls.Ctx> contexts = Map.of(
                Rls.GUEST, guest(market, s.phoneA),
                Rls.CUSTOMER, customer(market, s.customerA),
                Rls.MANAGER, manager(market, s.manager));
        Map<String, List<String>> columns = columns();
        List<Executable> checks = new ArrayList<>();
        int[] cases = {0};
        for (String role : Grants.ROLES) {
            Rls.as(contexts.get(role), c -> {
                for (String table : Grants.tables()) {
                    for (String cmd : Grants.COMMANDS) {
                        String sql = refused(table, role, cmd, columns.get(table));
                        if (sql == null) {
                            continue;
                        }
                        cases[0]++;
                        String state = Sql.sqlState(c, sql);
                        checks.add(() -> assertEquals(Rls.DENIED, state, role + ": " + sql));
                    }
                }
            });
        }
        assertTrue(cases[0] > 150, "the sweep covers every table: " + cases[0]);
        assertAll(checks);
    }

    /** A statement running a command the role lacks, or null when the role holds the command entirely. */
    private static String refused(String table, String role, String cmd, List<String> cols) {
        boolean allowed = Grants.allows(table, role, cmd);
        return switch (cmd) {
            case "SELECT" -> allowed ? null : "SELECT 1 FROM " + table + " WHERE false";
            case "INSERT" -> allowed ? null : "INSERT INTO " + table + " DEFAULT VALUES";
            case "DELETE" -> allowed ? null : "DELETE FROM " + table + " WHERE false";
            case "UPDATE" -> {
                Set<String> some = Grants.updateColumns(table, role);
                if (allowed && some.isEmpty()) {
                    yield null;
                }
                // a column outside the grant (any column when nothing is granted)
                String col = cols.stream().filter(x -> !some.contains(x)).findFirst().orElseThrow();
                yield "UPDATE " + table + " SET " + col + " = " + col + " WHERE false";
            }
            default -> throw new IllegalArgumentException(cmd);
        };
    }

    /** Updatable columns per table (no identity, no generated column). */
    private static Map<String, List<String>> columns() throws SQLException {
        Map<String, List<String>> out = new HashMap<>();
        try (Connection c = TestDatabase.get().owner();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0
                       AND NOT a.attisdropped AND a.attidentity = '' AND a.attgenerated = ''
                     ORDER BY c.relname, a.attnum""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return out;
    }

    /** The role's privileges on the table: table-wide ones, plus column-level ones as P(a,b). */
    private static Set<String> privileges(Connection c, String role, String table) throws SQLException {
        Set<String> out = new TreeSet<>();
        for (String p : ALL_PRIVILEGES) {
            if (Sql.count(c, "SELECT count(*) FROM (SELECT 1 WHERE has_table_privilege(?, ('public.' || quote_ident(?))::regclass, ?)) x",
                    role, table, p) == 1) {
                out.add(p);
            } else if (!p.equals("DELETE") && !p.equals("TRUNCATE") && !p.equals("TRIGGER")) {
                List<String> cols = Sql.strings(c, """
                        SELECT a.attname FROM pg_attribute a
                        WHERE a.attrelid = ('public.' || quote_ident(?))::regclass AND a.attnum > 0 AND NOT a.attisdropped
                          AND has_column_privilege(?, a.attrelid, a.attnum, ?)
                        ORDER BY a.attname""", table, role, p);
                if (!cols.isEmpty()) {
                    out.add(p + "(" + String.join(",", cols) + ")");
                }
            }
        }
        return out;
    }
}
