package marketbackend.tools;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import marketbackend.AppConfig;
import marketbackend.db.Jdbc;

/**
 * {@code generate-data --products N --users N --orders N}: realistic volume for benchmarks, loaded
 * set-based inside PostgreSQL as the owner (BYPASSRLS), in one transaction. Products are split
 * 40% KG / 40% US / 20% ALL with a price per selling market; users 50/50; orders spread over the
 * last 90 days with 1–3 items each from the buyer's market, statuses mixed (about 8% cancelled),
 * generated order numbers in their own series ({@code KG-G000000001-…}) apart from the counters'. The user triggers (which derive market,
 * currency and number row by row for the API) are disabled for the load and the same values are
 * computed in bulk; foreign keys and checks stay on.
 */
public final class DataGenerator {
    private DataGenerator() {
    }

    public record Counts(int products, int users, int orders) {
    }

    public static Counts parse(List<String> args) {
        int products = 0;
        int users = 0;
        int orders = 0;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("Missing value after " + flag);
            }
            int value;
            try {
                value = Integer.parseInt(args.get(++i).replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " needs a whole number");
            }
            if (value < 0 || value > 50_000_000) {
                throw new IllegalArgumentException(flag + " must be between 0 and 50000000");
            }
            switch (flag) {
                case "--products" -> products = value;
                case "--users" -> users = value;
                case "--orders" -> orders = value;
                default -> throw new IllegalArgumentException("Unknown option " + flag
                        + " (use --products N --users N --orders N)");
            }
        }
        return new Counts(products, users, orders);
    }

    public static void run(AppConfig cfg, Counts n, java.io.PrintStream out) throws SQLException {
        try (Connection c = Jdbc.asOwner(cfg)) {
            c.setAutoCommit(false);
            Jdbc.execute(c, "SET LOCAL synchronous_commit = off");
            triggers(c, "DISABLE");
            long t0 = System.nanoTime();
            categories(c);
            if (n.products() > 0) {
                Jdbc.execute(c, PRODUCTS, n.products());
                Jdbc.execute(c, PRICES);
                out.printf("products: %d in %d ms%n", n.products(), ms(t0));
            }
            long t1 = System.nanoTime();
            if (n.users() > 0) {
                Jdbc.execute(c, USERS, n.users(), n.users());
                out.printf("users: %d in %d ms%n", n.users(), ms(t1));
            }
            long t2 = System.nanoTime();
            if (n.orders() > 0) {
                // numbered pick lists (indexed), so each generated row picks by a cheap lookup
                Jdbc.execute(c, "CREATE TEMP TABLE gen_buyers ON COMMIT DROP AS SELECT market, "
                        + "row_number() OVER (PARTITION BY market ORDER BY id) AS rn, id FROM users");
                Jdbc.execute(c, "CREATE TEMP TABLE gen_products ON COMMIT DROP AS SELECT pp.market, "
                        + "row_number() OVER (PARTITION BY pp.market ORDER BY pp.product_id) AS rn, pp.product_id, "
                        + "p.name, pp.price FROM product_prices pp JOIN products p ON p.id = pp.product_id AND p.is_active");
                Jdbc.execute(c, "CREATE INDEX ON gen_buyers (market, rn)");
                Jdbc.execute(c, "CREATE INDEX ON gen_products (market, rn)");
                Jdbc.execute(c, "ANALYZE gen_buyers");
                Jdbc.execute(c, "ANALYZE gen_products");
                Jdbc.execute(c, ORDERS, n.orders());
                Jdbc.execute(c, ORDER_ITEMS);
                Jdbc.execute(c, ORDER_TOTALS);
                out.printf("orders: %d (with items) in %d ms%n", n.orders(), ms(t2));
            }
            triggers(c, "ENABLE");
            c.commit();
            c.setAutoCommit(true);
            Jdbc.execute(c, "ANALYZE");
            out.printf("generate-data done in %d ms%n", ms(t0));
        }
    }

    /** {@code DISABLE} or {@code ENABLE} the user triggers of the tables the load writes. */
    private static void triggers(Connection c, String action) throws SQLException {
        for (String table : List.of("products", "product_prices", "orders", "order_items")) {
            Jdbc.execute(c, "ALTER TABLE " + table + " " + action + " TRIGGER USER");
        }
    }

    private static void categories(Connection c) throws SQLException {
        Jdbc.execute(c, """
                INSERT INTO categories (market, name, position)
                SELECT s.market, s.market || ' category ' || g, g
                FROM (VALUES ('KG'), ('US'), ('ALL')) s(market), generate_series(1, 20) g
                WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE c.market = s.market
                                  AND c.name = s.market || ' category ' || g)""");
    }

    private static final String PRODUCTS = """
            INSERT INTO products (market, category_id, name, description, stock, is_active)
            SELECT m.market,
                   (SELECT c.id FROM categories c WHERE c.market = m.market
                    AND c.name = m.market || ' category ' || (1 + g % 20)),
                   m.market || ' product ' || g || ' ' || md5(g::text),
                   'Generated product ' || g,
                   (g::bigint * 7919) % 200,
                   g % 50 <> 0
            FROM generate_series(1, ?) g
            CROSS JOIN LATERAL (SELECT CASE WHEN g % 5 IN (0, 1) THEN 'KG'
                                            WHEN g % 5 IN (2, 3) THEN 'US'
                                            ELSE 'ALL' END AS market) m""";

    /** A price in every market that sells the product and has none yet, in that market's currency. */
    private static final String PRICES = """
            INSERT INTO product_prices (product_id, market, price, currency)
            SELECT p.id, k.code,
                   CASE WHEN k.currency = 'USD' THEN round((5 + (p.id * 37) % 995)::numeric + 0.99, 2)
                        ELSE round(((5 + (p.id * 37) % 995) * 87)::numeric, 2) END,
                   k.currency
            FROM products p JOIN markets k ON k.is_active AND (p.market = k.code OR p.market = 'ALL')
            WHERE NOT EXISTS (SELECT 1 FROM product_prices x WHERE x.product_id = p.id AND x.market = k.code)""";

    /** Phones continue after the highest generated one: KG +99655xxxxxxx, US +1646xxxxxxx. */
    private static final String USERS = """
            INSERT INTO users (market, phone, name, created_at)
            SELECT CASE WHEN g % 2 = 0 THEN 'KG' ELSE 'US' END,
                   CASE WHEN g % 2 = 0 THEN '+99655' || lpad((base + g)::text, 7, '0')
                        ELSE '+1646' || (2000000 + base + g)::text END,
                   'User ' || (base + g),
                   now() - (g % 365) * interval '1 day'
            FROM (SELECT coalesce(max(substr(name, 6)::bigint), 0) AS base
                  FROM users WHERE name ~ '^User [0-9]+$') b,
                 generate_series(1, ?) g
            WHERE base + ? < 7000000
            ON CONFLICT (phone) DO NOTHING""";

    private static final String ORDERS = """
            WITH sizes AS (SELECT market, count(*) AS n FROM gen_buyers GROUP BY market)
            INSERT INTO orders (market, user_id, order_number, status, total_amount, currency, order_date)
            SELECT b.market, b.id,
                   b.market || '-G' || lpad(g::text, 9, '0') || '-' || substr(md5(random()::text), 1, 6),
                   (ARRAY['pending', 'confirmed', 'shipped', 'delivered', 'delivered', 'delivered',
                          'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'cancelled'])[1 + g % 12],
                   0, k.currency,
                   now() - random() * interval '90 days'
            FROM generate_series(1, ?) g
            JOIN sizes s ON s.market = CASE WHEN g % 2 = 0 THEN 'KG' ELSE 'US' END
            JOIN gen_buyers b ON b.market = s.market AND b.rn = 1 + (g::bigint * 7877) % s.n
            JOIN markets k ON k.code = b.market""";

    private static final String ORDER_ITEMS = """
            WITH sizes AS (SELECT market, count(*) AS n FROM gen_products GROUP BY market)
            INSERT INTO order_items (order_id, market, user_id, product_id, product_name, quantity, unit_price, line_total)
            SELECT o.id, o.market, o.user_id, gp.product_id, gp.name, q.qty, gp.price, gp.price * q.qty
            FROM orders o
            JOIN sizes s ON s.market = o.market
            CROSS JOIN LATERAL generate_series(1, 1 + (o.id % 3)::int) i
            CROSS JOIN LATERAL (SELECT 1 + ((o.id + i) % 3) AS qty) q
            JOIN gen_products gp ON gp.market = o.market AND gp.rn = 1 + (o.id * 31 + i * 7919) % s.n
            WHERE o.total_amount = 0 AND o.order_number LIKE '%-G%'
              AND NOT EXISTS (SELECT 1 FROM order_items x WHERE x.order_id = o.id)""";

    private static final String ORDER_TOTALS = """
            UPDATE orders o SET total_amount = s.total
            FROM (SELECT order_id, sum(line_total) AS total FROM order_items GROUP BY order_id) s
            WHERE s.order_id = o.id AND o.total_amount = 0 AND o.order_number LIKE '%-G%'""";

    private static long ms(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
