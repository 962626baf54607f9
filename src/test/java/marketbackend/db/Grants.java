package marketbackend.db;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static marketbackend.db.Rls.CUSTOMER;
import static marketbackend.db.Rls.GUEST;
import static marketbackend.db.Rls.MANAGER;

/**
 * The documented privilege matrix of the request roles, as the tests expect it. A privilege is
 * {@code SELECT}, {@code INSERT}, {@code UPDATE}, {@code DELETE}, or {@code UPDATE(a,b)} when only
 * some columns may change. Anything not listed must be refused with 42501.
 */
final class Grants {
    /** Every table with market data: ENABLE and FORCE ROW LEVEL SECURITY. */
    static final List<String> RLS_TABLES = List.of(
            "order_counters", "categories", "products", "product_prices", "banners",
            "users", "verification_codes", "sms_outbox", "addresses", "payment_methods", "notifications",
            "carts", "cart_items", "wishlists", "wishlist_items", "orders", "order_items",
            "revenue_snapshots", "store_managers", "store_manager_markets", "manager_settings", "audit_log",
            "sessions", "refresh_tokens");

    /** Tables in schema public without RLS, on purpose: reference data, and Flyway's own history. */
    static final List<String> NO_RLS_TABLES = List.of("markets", "flyway_schema_history");

    /** The scheduled revenue job's role: no user, one market per transaction, snapshots only. */
    static final String REPORTER = "market_reporter";

    /** The roles a request runs as (the sweeps below run each of them). */
    static final List<String> ROLES = List.of(GUEST, CUSTOMER, MANAGER);

    /** Every role market_app may switch to: the request roles and the job's role. */
    static final List<String> ALL_ROLES = List.of(GUEST, CUSTOMER, MANAGER, REPORTER);
    static final List<String> COMMANDS = List.of("SELECT", "INSERT", "UPDATE", "DELETE");

    private static final Map<String, Map<String, Set<String>>> MATRIX = new LinkedHashMap<>();

    static {
        //    table                    market_guest                                market_customer                        market_manager
        row("markets",               "SELECT",                                   "SELECT",                              "SELECT");
        row("order_counters",        "",                                         "SELECT UPDATE(last_number)",          "");
        row("categories",            "SELECT",                                   "SELECT",                              "SELECT INSERT UPDATE DELETE");
        row("products",              "SELECT",                                   "SELECT",                              "SELECT INSERT UPDATE DELETE");
        row("product_prices",        "SELECT",                                   "SELECT",                              "SELECT INSERT UPDATE DELETE");
        row("banners",               "SELECT",                                   "SELECT",                              "SELECT INSERT UPDATE DELETE");
        row("users",                 "",                                         "SELECT UPDATE(name)",                 "SELECT");
        // login codes: no request role at all (app.issue_login_code(), app.redeem_login_code())
        row("verification_codes",    "",                                         "",                                    "");
        row("sms_outbox",            "INSERT",                                   "",                                    "");
        row("addresses",             "",                                         "SELECT INSERT UPDATE DELETE",         "SELECT");
        row("payment_methods",       "",                                         "SELECT INSERT UPDATE DELETE",         "SELECT");
        row("notifications",         "",                                         "SELECT INSERT UPDATE(read_at)",       "SELECT INSERT");
        row("carts",                 "",                                         "SELECT INSERT DELETE",                "");
        row("cart_items",            "",                                         "SELECT INSERT UPDATE(quantity) DELETE", "");
        row("wishlists",             "",                                         "SELECT INSERT DELETE",                "");
        row("wishlist_items",        "",                                         "SELECT INSERT DELETE",                "");
        row("orders",                "",                                         "SELECT INSERT",                       "SELECT UPDATE(status,updated_at)");
        row("order_items",           "",                                         "SELECT INSERT",                       "SELECT");
        row("revenue_snapshots",     "",                                         "",
                "SELECT INSERT UPDATE(average_order_value,computed_at,currency,total_orders,total_revenue)");
        row("store_managers",        "",                                         "",                                    "SELECT");
        row("store_manager_markets", "",                                         "",                                    "SELECT");
        row("manager_settings",      "",                                         "",                                    "SELECT INSERT UPDATE(active_market,updated_at)");
        row("audit_log",             "",                                         "",                                    "SELECT INSERT");
        row("sessions",              "",                                         "SELECT INSERT UPDATE(end_reason,ended_at,expires_at,last_used_at)", "");
        row("refresh_tokens",        "",                                         "SELECT INSERT UPDATE(rotated_at)",    "");
        row("flyway_schema_history", "",                                         "",                                    "");
        // the revenue job reads five order columns and keeps the snapshots of one market
        MATRIX.get("orders").put(REPORTER, split("SELECT(currency,market,order_date,status,total_amount)"));
        MATRIX.get("revenue_snapshots").put(REPORTER,
                split("SELECT INSERT UPDATE(average_order_value,computed_at,currency,total_orders,total_revenue)"));
    }

    private Grants() {
    }

    private static void row(String table, String guest, String customer, String manager) {
        Map<String, Set<String>> byRole = new LinkedHashMap<>();
        byRole.put(GUEST, split(guest));
        byRole.put(CUSTOMER, split(customer));
        byRole.put(MANAGER, split(manager));
        MATRIX.put(table, byRole);
    }

    private static Set<String> split(String s) {
        Set<String> out = new TreeSet<>();
        for (String p : s.trim().split("\\s+")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    static List<String> tables() {
        return List.copyOf(MATRIX.keySet());
    }

    /** The expected privileges of {@code role} on {@code table}, e.g. {SELECT, UPDATE(name)}. */
    static Set<String> of(String table, String role) {
        return MATRIX.get(table).getOrDefault(role, Set.of());
    }

    /** Whether the role may run {@code command} on the table at all (an UPDATE of some columns counts). */
    static boolean allows(String table, String role, String command) {
        return of(table, role).stream().anyMatch(p -> p.equals(command) || p.startsWith(command + "("));
    }

    /** The columns a column-level UPDATE grant covers, or empty when UPDATE is table-wide or absent. */
    static Set<String> updateColumns(String table, String role) {
        for (String p : of(table, role)) {
            if (p.startsWith("UPDATE(")) {
                return new TreeSet<>(List.of(p.substring(7, p.length() - 1).split(",")));
            }
        }
        return Set.of();
    }
}
