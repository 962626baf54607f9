package marketbackend.audit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import marketbackend.AppConfig;
import marketbackend.support.TestDatabase;
import marketbackend.support.Tools;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** The schema and policies as shipped audit clean, and the matrix says what the policies say. */
class AuditShippedSchemaTest {
    private static List<MatrixRow> matrix;

    @BeforeAll
    static void readMatrix() throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            matrix = PolicyAudit.matrix(c);
        }
    }

    @Test
    void shippedSchemaHasNoFinding() throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            assertThat(PolicyAudit.findings(c), is(empty()));
        }
    }

    @Test
    void commandPrintsNoFindingsAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = run(TestDatabase.get().config(), List.of(), out);
        assertThat(status, is(0));
        assertThat(out.toString(StandardCharsets.UTF_8), containsString("no findings"));
    }

    @Test
    void commandJsonIsEmptyAndExitsZero() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(run(TestDatabase.get().config(), List.of("--json"), out), is(0));
        JsonNode doc = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(doc.get("findings").size(), is(0));
        assertThat(doc.get("database").asText(), is(TestDatabase.get().name()));
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run(TestDatabase.get().config(), List.of("--fix"), new ByteArrayOutputStream()), is(2));
    }

    /** audit.sql and matrix.sql ship beside the R__ files but are never applied as migrations. */
    @Test
    void flywayIgnoresTheAuditFiles() throws SQLException {
        Set<String> scripts = new HashSet<>();
        try (Connection c = TestDatabase.get().owner(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT script FROM flyway_schema_history")) {
            while (rs.next()) {
                scripts.add(rs.getString(1));
            }
        }
        assertThat(scripts.contains("R__20_catalog.sql") && scripts.contains("V3__audit_fixes.sql"), is(true));
        assertThat(scripts.stream().anyMatch(s -> s.contains("audit.sql") || s.contains("matrix.sql")), is(false));
    }

    /** The DBA's way: plain psql on db-policies/audit.sql prints nothing when all is well. */
    @Test
    void psqlPrintsNothingOnTheShippedSchema() throws Exception {
        Tools.required(psqlAvailable(), "psql is missing: install Debian's postgresql-client");
        AppConfig cfg = TestDatabase.get().config();
        URI uri = URI.create(cfg.db().url().substring("jdbc:".length()));
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1",
                "-h", uri.getHost(), "-p", Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()),
                "-U", cfg.db().migrationUser(), "-d", TestDatabase.get().name(), "-f", "db-policies/audit.sql");
        pb.environment().put("PGPASSWORD", cfg.db().migrationPassword());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS), is(true));
        assertThat(output, p.exitValue(), is(0));
        assertThat(output, is(""));
        assertThat(Files.exists(Path.of("db-policies/matrix.sql")), is(true));
    }

    @Test
    void matrixNamesThePolicyOfEachRoleAndCommand() {
        MatrixRow guestReads = cell("public.products", "market_guest", "SELECT").get(0);
        assertThat(guestReads.grant(), is("table"));
        assertThat(guestReads.policy(), is("Guests see active products of their market and of ALL"));
        assertThat(guestReads.using(), containsString("app.visible_markets()"));

        // customers take stock only through checkout's order items: no grant, no policy on products
        MatrixRow customerUpdates = cell("public.products", "market_customer", "UPDATE").get(0);
        assertThat(customerUpdates.grant(), is("no grant"));

        MatrixRow managerSaves = cell("public.manager_settings", "market_manager", "UPDATE").get(0);
        assertThat(managerSaves.grant(), is("columns (active_market, updated_at)"));
        assertThat(managerSaves.withCheck(), containsString("app.my_markets()"));

        assertThat(cell("public.orders", "market_manager", "UPDATE").get(0).policy(),
                is("Managers move orders of the market they manage"));
        assertThat(cell("public.store_manager_markets", "market_manager", "SELECT").get(0).policy(),
                is("Managers see their grant for the current market"));
    }

    @Test
    void matrixSaysNoGrantWhereARoleLacksThePrivilege() {
        for (String[] c : new String[][] {{"public.products", "market_guest", "INSERT"},
                {"public.audit_log", "market_manager", "UPDATE"}, {"public.audit_log", "market_manager", "DELETE"},
                {"public.orders", "market_customer", "DELETE"}}) {
            List<MatrixRow> rows = cell(c[0], c[1], c[2]);
            assertThat(String.join(" ", c), rows, hasSize(1));
            assertThat(rows.get(0).grant(), is("no grant"));
            assertThat(rows.get(0).policy(), is((String) null));
        }
        assertThat(cell("public.markets", "market_guest", "SELECT").get(0).policy(), is("(no RLS: every row)"));
        assertThat(matrix.stream().anyMatch(r -> r.role().equals("market_app")), is(false));
    }

    /** Every policy for an app role appears in the matrix under its table, role and command, and nothing else does. */
    @Test
    void matrixListsExactlyThePoliciesOfPgPolicies() throws SQLException {
        Set<String> expected = new HashSet<>();
        try (Connection c = TestDatabase.get().owner(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT format('%I.%I', schemaname, tablename), r, cmd, policyname
                     FROM pg_policies, unnest(roles) r
                     WHERE r IN ('market_guest', 'market_customer', 'market_manager', 'market_reporter')""")) {
            while (rs.next()) {
                expected.add(String.join("|", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        Set<String> listed = new HashSet<>();
        for (MatrixRow r : matrix) {
            if (r.policy() != null && !r.policy().startsWith("(")) {
                listed.add(String.join("|", r.table(), r.role(), r.command(), r.policy()));
            }
        }
        assertThat(expected.size() > 60, is(true));
        assertThat(listed, is(expected));
    }

    @Test
    void matrixCommandPrintsTextAndJson() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(run(TestDatabase.get().config(), List.of("--matrix"), out), is(0));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text, containsString("public.products"));
        assertThat(text, containsString("Guests see active products of their market and of ALL"));

        out.reset();
        assertThat(run(TestDatabase.get().config(), List.of("--matrix", "--json"), out), is(0));
        JsonNode rows = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("rows");
        assertThat(rows.size(), is(matrix.size()));
        assertThat(rows.get(0).has("with_check"), is(true));
    }

    private static List<MatrixRow> cell(String table, String role, String command) {
        return matrix.stream()
                .filter(r -> r.table().equals(table) && r.role().equals(role) && r.command().equals(command))
                .toList();
    }

    private static int run(AppConfig cfg, List<String> args, ByteArrayOutputStream out) {
        return AuditCommand.run(cfg, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static boolean psqlAvailable() {
        try {
            Process p = new ProcessBuilder("psql", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
