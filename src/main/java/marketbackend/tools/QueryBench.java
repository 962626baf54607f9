package marketbackend.tools;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import marketbackend.AppConfig;
import marketbackend.context.Actor;
import marketbackend.context.RequestContext;
import marketbackend.db.ContextKey;
import marketbackend.db.Db;
import marketbackend.db.Jdbc;
import marketbackend.market.Market;
import marketbackend.market.MarketRepository;

/**
 * {@code bench-queries [--iterations N] [--market KG]}: each hot query of the API run through the
 * policies (as market_app, after the server's context statement) and the same query with an
 * explicit {@code WHERE market = ...} as the owner (BYPASSRLS), interleaved on the same data.
 * Prints the median and p95 of each and the median ratio (RLS / explicit). Only the query is timed
 * (bench/run.sh times whole requests); both sides run it inside a transaction, the RLS side after the
 * server's signed context statement.
 */
public final class QueryBench {
    private static final String PRODUCT_COLUMNS = "p.id, p.market, p.category_id, p.name, p.description, p.stock, "
            + "p.in_stock, pp.price, pp.currency FROM products p JOIN product_prices pp ON pp.product_id = p.id";
    /** The customer's order history as OrderRepository reads it (with the item count). */
    private static final String HISTORY_COLUMNS = "o.id, o.market, o.order_number, o.status, o.total_amount, o.currency, "
            + "o.order_date, (SELECT coalesce(sum(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS item_count "
            + "FROM orders o";
    /** The manager's order list as ManagerOrderService reads it (with the customer's phone). */
    private static final String MANAGER_COLUMNS = "o.id, o.market, o.order_number, o.user_id, u.phone AS customer_phone, "
            + "o.status, o.total_amount, o.currency, o.order_date, o.updated_at FROM orders o LEFT JOIN users u ON u.id = o.user_id";
    private static final String REVENUE = "SELECT coalesce(sum(o.total_amount), 0) AS total, count(*) AS n "
            + "FROM orders o WHERE o.status <> 'cancelled' AND o.order_date >= ? AND o.order_date < ?";

    private QueryBench() {
    }

    /** One query in its two forms; {@code role} is the request role of the RLS form. */
    record Case(String name, String role, String rlsSql, String explicitSql, Object[] params) {
    }

    public static void run(AppConfig cfg, List<String> args, PrintStream out) throws SQLException {
        int iterations = intArg(args, "--iterations", 500);
        String market = stringArg(args, "--market", "KG");
        ContextKey key = cfg.contextKeys().signer(java.time.Clock.systemUTC());
        try (Connection owner = Jdbc.asOwner(cfg);
             Connection app = Jdbc.asApp(cfg)) {
            long customer = longQuery(owner, "SELECT o.user_id FROM orders o WHERE o.market = ? "
                    + "GROUP BY o.user_id ORDER BY count(*) DESC LIMIT 1", market);
            long manager = ensureManager(owner, market);
            long category = longQuery(owner, "SELECT p.category_id FROM products p WHERE p.market = ? "
                    + "AND p.category_id IS NOT NULL GROUP BY p.category_id ORDER BY count(*) DESC LIMIT 1", market);
            long product = longQuery(owner, "SELECT p.id FROM products p WHERE p.market = ? AND p.is_active "
                    + "ORDER BY p.id DESC LIMIT 1", market);
            List<Market> known = MarketRepository.all(owner);
            ZoneId zone = known.stream().filter(m -> m.code().equals(market)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Unknown market '" + market + "'; markets are "
                            + MarketRepository.describe(known)))
                    .zone();
            LocalDate day = LocalDate.now(zone).minusDays(1);
            Timestamp from = Timestamp.from(day.atStartOfDay(zone).toInstant());
            Timestamp to = Timestamp.from(day.plusDays(1).atStartOfDay(zone).toInstant());
            String visible = " p.market IN ('" + market + "', 'ALL') AND p.is_active AND pp.market = '" + market + "'";
            List<Case> cases = List.of(
                    new Case("catalog page", "market_guest",
                            "SELECT " + PRODUCT_COLUMNS + " ORDER BY p.id LIMIT 20 OFFSET 0",
                            "SELECT " + PRODUCT_COLUMNS + " WHERE" + visible + " ORDER BY p.id LIMIT 20 OFFSET 0",
                            new Object[0]),
                    new Case("catalog count", "market_guest",
                            "SELECT count(*) FROM products p JOIN product_prices pp ON pp.product_id = p.id",
                            "SELECT count(*) FROM products p JOIN product_prices pp ON pp.product_id = p.id WHERE" + visible,
                            new Object[0]),
                    new Case("catalog page, category", "market_guest",
                            "SELECT " + PRODUCT_COLUMNS + " WHERE p.category_id = ? ORDER BY p.id LIMIT 20 OFFSET 0",
                            "SELECT " + PRODUCT_COLUMNS + " WHERE p.category_id = ? AND" + visible
                                    + " ORDER BY p.id LIMIT 20 OFFSET 0",
                            new Object[] {category}),
                    new Case("product by id", "market_guest",
                            "SELECT " + PRODUCT_COLUMNS + " WHERE p.id = ?",
                            "SELECT " + PRODUCT_COLUMNS + " WHERE p.id = ? AND" + visible,
                            new Object[] {product}),
                    new Case("customer order history", "market_customer",
                            "SELECT " + HISTORY_COLUMNS + " ORDER BY o.order_date DESC, o.id DESC LIMIT 20",
                            "SELECT " + HISTORY_COLUMNS.replace("WHERE i.order_id = o.id",
                                    "WHERE i.order_id = o.id AND i.market = '" + market + "'")
                                    + " WHERE o.market = '" + market + "' AND o.user_id = " + customer
                                    + " ORDER BY o.order_date DESC, o.id DESC LIMIT 20",
                            new Object[0]),
                    new Case("customer order count", "market_customer",
                            "SELECT count(*) FROM orders o",
                            "SELECT count(*) FROM orders o WHERE o.market = '" + market + "' AND o.user_id = " + customer,
                            new Object[0]),
                    new Case("manager order list", "market_manager",
                            "SELECT " + MANAGER_COLUMNS + " ORDER BY o.order_date DESC, o.id DESC LIMIT 20",
                            "SELECT " + MANAGER_COLUMNS + " WHERE o.market = '" + market + "'"
                                    + " ORDER BY o.order_date DESC, o.id DESC LIMIT 20",
                            new Object[0]),
                    new Case("manager order count", "market_manager",
                            "SELECT count(*) FROM orders o",
                            "SELECT count(*) FROM orders o WHERE o.market = '" + market + "'",
                            new Object[0]),
                    new Case("revenue for a day", "market_manager",
                            REVENUE,
                            REVENUE + " AND o.market = '" + market + "'",
                            new Object[] {from, to}));
            out.printf("Query benchmark: market %s, %d iterations per form (interleaved), times in ms%n", market, iterations);
            out.printf("%-26s %10s %10s %10s %10s %8s%n", "query", "rls p50", "rls p95", "where p50", "where p95", "ratio");
            for (Case c : cases) {
                long user = c.role().equals("market_customer") ? customer : manager;
                double[] rls = new double[iterations];
                double[] explicit = new double[iterations];
                for (int i = -iterations / 5; i < iterations; i++) {
                    double a = timeRls(app, key, c, market, user);
                    double b = timeExplicit(owner, c);
                    if (i >= 0) {
                        rls[i] = a;
                        explicit[i] = b;
                    }
                }
                double rlsMedian = percentile(rls, 50);
                double explicitMedian = percentile(explicit, 50);
                out.printf("%-26s %10.3f %10.3f %10.3f %10.3f %8.2f%n", c.name(), rlsMedian, percentile(rls, 95),
                        explicitMedian, percentile(explicit, 95), rlsMedian / explicitMedian);
            }
            compare(owner, app, key, manager, known, zone, iterations, out);
        }
    }

    /**
     * Revenue compare: the day's revenue of every market the manager manages, each market in its own
     * transaction under its own context (as the API computes it), vs the same per-market queries with
     * an explicit WHERE. The manager is given every active market for this measurement.
     */
    private static void compare(Connection owner, Connection app, ContextKey key, long manager, List<Market> known,
                                ZoneId zone, int iterations, PrintStream out) throws SQLException {
        List<String> markets = known.stream().filter(Market::open).map(Market::code).toList();
        for (String m : markets) {
            exec(owner, "INSERT INTO store_manager_markets (user_id, market) VALUES (?, ?) ON CONFLICT DO NOTHING", manager, m);
        }
        LocalDate day = LocalDate.now(zone).minusDays(1);
        Object[] params = {Timestamp.from(day.atStartOfDay(zone).toInstant()),
                Timestamp.from(day.plusDays(1).atStartOfDay(zone).toInstant())};
        double[] rls = new double[iterations];
        double[] explicit = new double[iterations];
        for (int i = -iterations / 5; i < iterations; i++) {
            double a = 0;
            double b = 0;
            for (String m : markets) {
                a += timeRls(app, key, new Case("compare", "market_manager", REVENUE, null, params), m, manager);
                b += timeExplicit(owner, new Case("compare", "market_manager", null,
                        REVENUE + " AND o.market = '" + m + "'", params));
            }
            if (i >= 0) {
                rls[i] = a;
                explicit[i] = b;
            }
        }
        out.printf("%-26s %10.3f %10.3f %10.3f %10.3f %8.2f%n", "revenue compare (" + markets.size() + " mkts)",
                percentile(rls, 50), percentile(rls, 95), percentile(explicit, 50), percentile(explicit, 95),
                percentile(rls, 50) / percentile(explicit, 50));
    }

    private static double timeRls(Connection app, ContextKey key, Case c, String market, long user) throws SQLException {
        app.setAutoCommit(false);
        Actor actor = Actor.valueOf(c.role().substring("market_".length()).toUpperCase(java.util.Locale.ROOT));
        RequestContext ctx = new RequestContext(actor, market, actor == Actor.GUEST ? null : user, "bench", null);
        Jdbc.execute(app, Db.CONTEXT_SQL, key.sign(ctx, app.getMetaData().getUserName(), true), "5000");
        double ms = timeQuery(app, c.rlsSql(), c.params());
        app.commit();
        return ms;
    }

    private static double timeExplicit(Connection owner, Case c) throws SQLException {
        owner.setAutoCommit(false);
        double ms = timeQuery(owner, c.explicitSql(), c.params());
        owner.commit();
        return ms;
    }

    /** Only the query and the walk over its rows are timed: reading them into objects is not the bench's business. */
    private static double timeQuery(Connection c, String sql, Object[] params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            long start = System.nanoTime();
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                }
            }
            long elapsed = System.nanoTime() - start;
            if (rows == 0) {
                throw new IllegalStateException("Benchmark query returned no rows: " + sql);
            }
            return elapsed / 1e6;
        }
    }

    private static long ensureManager(Connection owner, String market) throws SQLException {
        long user = longQuery(owner, "SELECT u.id FROM users u WHERE u.market = ? ORDER BY u.id LIMIT 1", market);
        exec(owner, "INSERT INTO store_managers (user_id, role) VALUES (?, 'manager') ON CONFLICT DO NOTHING", user);
        exec(owner, "INSERT INTO store_manager_markets (user_id, market) VALUES (?, ?) ON CONFLICT DO NOTHING", user, market);
        return user;
    }

    static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long longQuery(Connection c, String sql, Object... params) throws SQLException {
        return Long.parseLong(stringQuery(c, sql, params));
    }

    private static String stringQuery(Connection c, String sql, Object... params) throws SQLException {
        String value = Jdbc.string(c, sql, params);
        if (value == null) {
            throw new IllegalStateException("No data for the benchmark (run generate-data first): " + sql);
        }
        return value;
    }

    private static void exec(Connection c, String sql, Object... params) throws SQLException {
        c.setAutoCommit(true);
        Jdbc.execute(c, sql, params);
    }

    private static int intArg(List<String> args, String name, int fallback) {
        String v = stringArg(args, name, null);
        return v == null ? fallback : Integer.parseInt(v);
    }

    private static String stringArg(List<String> args, String name, String fallback) {
        int i = new ArrayList<>(args).indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }
}
