package marketbackend.audit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import marketbackend.support.ScratchDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * Every check of db-policies/audit.sql catches its flaw: each case plants exactly that flaw in a
 * scratch database, inside a transaction that is rolled back, and expects a finding naming the object.
 * Role attributes are cluster-wide, so those cases create throwaway roles in the same rolled-back
 * transaction and point the audit at them ({@code audit.login_role}, {@code audit.request_roles});
 * the shared market_* roles are never altered.
 */
class AuditPlantedFlawsTest {
    /** Throwaway role names of this run; they only ever exist inside a rolled-back transaction. */
    private static final String R = "audit_t" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36)
            .toLowerCase(Locale.ROOT);
    private static ScratchDatabase db;

    /** A flaw: the SQL that plants it, and the finding it must produce. */
    record Flaw(String check, String object, String detailPart, List<String> sql) {
        static Flaw of(String check, String object, String detailPart, String... sql) {
            return new Flaw(check, object.replace("{r}", R), detailPart.replace("{r}", R),
                    Stream.of(sql).map(s -> s.replace("{r}", R)).toList());
        }

        @Override
        public String toString() {
            return check + ": " + String.join("; ", sql);
        }
    }

    static List<Flaw> flaws() {
        String ordersOfMarket = "(select app.manages_current_market()) and market = (select app.current_market())";
        return List.of(
                // ------------------------------------------------------------ RLS on every table
                Flaw.of("rls_not_enabled", "table public.banners", "market column",
                        "alter table banners disable row level security"),
                Flaw.of("rls_not_forced", "table public.products", "FORCE",
                        "alter table products no force row level security"),
                Flaw.of("rls_enabled_without_policy", "table public.coupons", "no policy",
                        "create table public.coupons (id bigint primary key)",
                        "alter table public.coupons enable row level security",
                        "alter table public.coupons force row level security"),
                Flaw.of("policy_on_table_without_rls", "table public.store_managers", "Managers see their own manager record",
                        "alter table store_managers disable row level security"),
                Flaw.of("market_not_filtered", "table public.revenue_snapshots", "current market",
                        "drop policy \"Managers see revenue of the market they manage\" on revenue_snapshots",
                        "drop policy \"Managers record revenue of the market they manage\" on revenue_snapshots",
                        "drop policy \"Managers refresh revenue of the market they manage\" on revenue_snapshots",
                        "drop policy \"The revenue job sees revenue of one market at a time\" on revenue_snapshots",
                        "drop policy \"The revenue job records revenue of one market at a time\" on revenue_snapshots",
                        "drop policy \"The revenue job refreshes revenue of one market at a time\" on revenue_snapshots",
                        "create policy \"Managers see revenue\" on revenue_snapshots for select to market_manager"
                                + " using ((select app.manages_current_market()))"),
                Flaw.of("policy_ignores_market", "policy \"Managers see every order\" on public.orders", "USING",
                        "create policy \"Managers see every order\" on orders for select to market_manager"
                                + " using ((select app.manages_current_market()))"),
                Flaw.of("policy_reads_no_context", "policy \"Customers see cart items\" on public.cart_items", "no app helper",
                        "create policy \"Customers see cart items\" on cart_items for select to market_customer using (quantity > 0)"),
                // ------------------------------------------------------------ how policies are written
                Flaw.of("policy_reads_setting_directly", "policy \"Managers see orders by setting\" on public.orders", "current_setting",
                        "create policy \"Managers see orders by setting\" on orders for select to market_manager"
                                + " using (market = current_setting('app.market', true))"),
                Flaw.of("helper_not_wrapped", "policy \"Customers see their own orders in their market\" on public.orders", "once per row",
                        "drop policy \"Customers see their own orders in their market\" on orders",
                        "create policy \"Customers see their own orders in their market\" on orders for select to market_customer"
                                + " using (user_id = app.current_user_id() and market = app.current_market())"),
                Flaw.of("permissive_write_always_true", "policy \"Managers add any product\" on public.products", "WITH CHECK",
                        "create policy \"Managers add any product\" on products for insert to market_manager with check (true)"),
                Flaw.of("permissive_write_always_true", "policy \"Managers delete any banner\" on public.banners", "USING",
                        "create policy \"Managers delete any banner\" on banners for delete to market_manager using (true)"),
                Flaw.of("write_policy_without_check", "policy \"Managers move orders of the market they manage\" on public.orders", "WITH CHECK",
                        "drop policy \"Managers move orders of the market they manage\" on orders",
                        "create policy \"Managers move orders of the market they manage\" on orders for update to market_manager"
                                + " using (" + ordersOfMarket + ")"),
                Flaw.of("overlapping_permissive_policies", "table public.products",
                        "market_guest has 2 permissive SELECT policies",
                        "create policy \"Guests see products in stock\" on products for select to market_guest"
                                + " using (market = (select app.current_market()) and stock > 0)"),
                Flaw.of("policy_for_public", "policy \"Everyone sees banners of their market\" on public.banners", "PUBLIC",
                        "create policy \"Everyone sees banners of their market\" on banners for select"
                                + " using (market = (select app.current_market()))"),
                Flaw.of("policy_for_all_commands", "policy \"Managers manage prices\" on public.product_prices", "FOR ALL",
                        "create policy \"Managers manage prices\" on product_prices for all to market_manager"
                                + " using (" + ordersOfMarket + ") with check (" + ordersOfMarket + ")"),
                // ------------------------------------------------------------ ways around the policies
                Flaw.of("view_bypasses_rls", "view public.order_totals", "market_guest without security_invoker",
                        "create view public.order_totals as select market, sum(total_amount) as total from orders group by market",
                        "grant select on public.order_totals to market_guest"),
                Flaw.of("view_bypasses_rls", "materialized view public.order_totals_mv", "market_manager",
                        "create materialized view public.order_totals_mv as select market, count(*) as n from orders group by market",
                        "grant select on public.order_totals_mv to market_manager"),
                Flaw.of("security_definer_without_search_path", "function public.order_count()", "search_path",
                        "create function public.order_count() returns bigint language sql security definer"
                                + " as 'select count(*) from public.orders'",
                        "revoke execute on function public.order_count() from public",
                        "grant execute on function public.order_count() to market_customer"),
                Flaw.of("security_definer_executable", "function public.order_count()", "market_customer",
                        "create function public.order_count() returns bigint language sql security definer"
                                + " set search_path = pg_catalog as 'select count(*) from public.orders'",
                        "revoke execute on function public.order_count() from public",
                        "grant execute on function public.order_count() to market_customer"),
                Flaw.of("helper_volatile", "function app.current_locale()", "VOLATILE",
                        "create function app.current_locale() returns text language sql volatile as $$ select 'en' $$",
                        "revoke execute on function app.current_locale() from public"),
                Flaw.of("secret_table_readable", "table app.context_keys", "market_guest can read it",
                        "grant select on app.context_keys to market_guest"),
                Flaw.of("context_parameter_settable", "parameter backtrace_functions", "market_app may set it",
                        "grant set on parameter backtrace_functions to market_app"),
                Flaw.of("builtin_door_open", "function lo_from_bytea(oid,bytea)", "market_customer",
                        "grant execute on function lo_from_bytea(oid, bytea) to market_customer"),
                Flaw.of("builtin_door_open", "function pg_advisory_lock(bigint)", "market_app",
                        "grant execute on function pg_advisory_lock(bigint) to public"),
                Flaw.of("large_object_owned_by_app_role", "large object 424242", "owned by market_manager",
                        "select lo_create(424242)",
                        "alter large object 424242 owner to market_manager"),
                // ------------------------------------------------------------ the app roles (throwaway ones)
                Flaw.of("role_missing", "role {r}_absent", "does not exist",
                        "select set_config('audit.request_roles', 'market_guest,market_customer,market_manager,{r}_absent', true)"),
                Flaw.of("role_superuser", "role {r}_app", "SUPERUSER",
                        "create role {r}_app login noinherit superuser",
                        "select set_config('audit.login_role', '{r}_app', true)"),
                Flaw.of("role_bypassrls", "role {r}_app", "BYPASSRLS",
                        "create role {r}_app login noinherit bypassrls",
                        "select set_config('audit.login_role', '{r}_app', true)"),
                Flaw.of("role_admin_attribute", "role {r}_app", "CREATEROLE",
                        "create role {r}_app login noinherit createrole",
                        "select set_config('audit.login_role', '{r}_app', true)"),
                Flaw.of("login_role_inherits", "role {r}_app", "INHERIT",
                        "create role {r}_app login inherit",
                        "select set_config('audit.login_role', '{r}_app', true)"),
                Flaw.of("request_role_can_login", "role {r}_guest", "LOGIN",
                        "create role {r}_guest login noinherit",
                        "select set_config('audit.request_roles', '{r}_guest,market_customer,market_manager', true)"),
                Flaw.of("role_can_become_privileged", "role {r}_app", "market_owner",
                        "create role {r}_app login noinherit",
                        "grant market_owner to {r}_app",
                        "select set_config('audit.login_role', '{r}_app', true)"),
                Flaw.of("role_owns_objects", "table public.sms_outbox", "owned by market_guest",
                        "alter table sms_outbox owner to market_guest"),
                // ------------------------------------------------------------ privileges
                Flaw.of("dangerous_privilege", "table public.products", "market_manager has TRUNCATE",
                        "grant truncate on products to market_manager"),
                Flaw.of("dangerous_privilege", "table public.users", "market_guest has REFERENCES",
                        "grant references (id) on users to market_guest"),
                Flaw.of("dangerous_privilege", "table public.orders", "market_customer has TRIGGER",
                        "grant trigger on orders to market_customer"),
                Flaw.of("append_only_table_writable", "table public.audit_log", "market_manager has DELETE",
                        "grant delete on audit_log to market_manager"),
                Flaw.of("append_only_table_writable", "table public.audit_log", "market_manager has UPDATE",
                        "grant update (action) on audit_log to market_manager"),
                Flaw.of("reference_table_writable", "table public.markets", "market_manager has UPDATE",
                        "grant update on markets to market_manager"),
                Flaw.of("public_privilege", "table public.flyway_schema_history", "SELECT",
                        "grant select on flyway_schema_history to public"),
                Flaw.of("public_privilege", "function app.now_in_market()", "EXECUTE",
                        // a new function is executable by PUBLIC unless revoked
                        "create function app.now_in_market() returns timestamptz language sql stable as 'select now()'"),
                // ------------------------------------------------------------ indexes, keys, triggers
                Flaw.of("market_not_indexed", "table public.banners", "no index leads with it",
                        "drop index banners_market_idx"),
                Flaw.of("foreign_key_not_indexed", "constraint audit_log_manager_id_fkey on public.audit_log", "(manager_id)",
                        "drop index audit_log_manager_idx"),
                Flaw.of("no_primary_key", "table public.sms_outbox", "primary key",
                        "alter table sms_outbox drop constraint sms_outbox_pkey"),
                Flaw.of("market_not_set_by_trigger", "table public.carts", "public.users",
                        "drop trigger carts_10_market on carts"));
    }

    @BeforeAll
    static void scratch() throws SQLException {
        db = new ScratchDatabase();
    }

    @AfterAll
    static void drop() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @AfterEach
    void stillClean() throws SQLException {
        try (Connection c = db.owner()) {
            assertThat("the scratch database audits clean between cases", PolicyAudit.findings(c), is(empty()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flaws")
    void auditCatchesPlantedFlaw(Flaw flaw) throws SQLException {
        List<Finding> findings = plantAndAudit(flaw.sql());
        List<String> named = findings.stream()
                .filter(f -> f.check().equals(flaw.check()) && f.object().equals(flaw.object()))
                .map(Finding::detail)
                .toList();
        assertThat("findings: " + findings, named.isEmpty(), is(false));
        assertThat("details: " + named, named.stream().anyMatch(d -> d.contains(flaw.detailPart())), is(true));
    }

    /** Every check in audit.sql has at least one planted flaw above: a new check needs a new case. */
    @Test
    void everyCheckHasAPlantedFlaw() {
        Matcher m = Pattern.compile("select\\s+(?:distinct\\s+)?'([a-z_]+)',").matcher(PolicyAudit.sql(PolicyAudit.AUDIT_SQL));
        Set<String> checks = new TreeSet<>();
        while (m.find()) {
            checks.add(m.group(1));
        }
        Set<String> tested = flaws().stream().map(Flaw::check).collect(Collectors.toCollection(TreeSet::new));
        assertThat(checks.size() >= 30, is(true));
        assertThat(tested, is(checks));
    }

    /** A flaw planted in the same transaction is reported, and the role settings stay local to it. */
    @Test
    void roleSettingsAreTransactionLocal() throws SQLException {
        try (Connection c = db.superuser()) {
            c.setAutoCommit(false);
            execute(c, List.of("select set_config('audit.login_role', '" + R + "_absent', true)"));
            assertThat(PolicyAudit.findings(c), hasItem(new Finding("role_missing", "role " + R + "_absent",
                    "configured as an app role but does not exist: its privileges were not audited", "error")));
            c.rollback();
            assertThat(PolicyAudit.findings(c), is(empty()));
        }
    }

    /** The jar's command on a flawed database: exit 1, and the JSON names the finding. */
    @Test
    void commandExitsOneAndPrintsJson() throws Exception {
        try (Connection c = db.superuser(); Statement st = c.createStatement()) {
            st.execute("alter table products no force row level security");
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int status = AuditCommand.run(db.config(), List.of("--json"), new PrintStream(out, true, StandardCharsets.UTF_8),
                        System.err);
                assertThat(status, is(1));
                JsonNode doc = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
                assertThat(doc.get("errors").asInt(), is(1));
                JsonNode f = doc.get("findings").get(0);
                assertThat(f.get("check").asText(), is("rls_not_forced"));
                assertThat(f.get("object").asText(), is("table public.products"));
                assertThat(f.get("severity").asText(), is("error"));

                out.reset();
                status = AuditCommand.run(db.config(), List.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
                assertThat(status, is(1));
                String text = out.toString(StandardCharsets.UTF_8);
                assertThat(text, text.contains("1 finding (1 error, 0 warnings)") && text.contains("rls_not_forced")
                        && text.contains("table public.products"), is(true));
            } finally {
                st.execute("alter table products force row level security");
            }
        }
    }

    /** The table added in db-policies/README.md ("Adding a table") follows every rule: the audit stays silent. */
    @Test
    void readmeChecklistTableAuditsClean() throws SQLException {
        String readme = PolicyAudit.sql("db/policies/README.md");
        Matcher m = Pattern.compile("## Adding a table.*?```sql\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat("README has the example", m.find(), is(true));
        try (Connection c = db.owner()) {
            c.setAutoCommit(false);
            try {
                execute(c, List.of(m.group(1)));
                assertThat(PolicyAudit.findings(c), is(empty()));
                // and without its trigger, index or FORCE, the audit speaks up
                execute(c, List.of("drop index gift_cards_market_user_idx", "alter table gift_cards no force row level security"));
                Set<String> checks = PolicyAudit.findings(c).stream().map(Finding::check).collect(Collectors.toSet());
                assertThat(checks, is(Set.of("market_not_indexed", "rls_not_forced")));
            } finally {
                c.rollback();
            }
        }
    }

    private static List<Finding> plantAndAudit(List<String> sql) throws SQLException {
        try (Connection c = db.superuser()) {
            c.setAutoCommit(false);
            try {
                execute(c, sql);
                return PolicyAudit.findings(c);
            } finally {
                c.rollback();
            }
        }
    }

    private static void execute(Connection c, List<String> sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
