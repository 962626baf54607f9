package marketbackend.support;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Rows written as the owner (BYPASSRLS), for tests to read back through the policies. */
public final class Fixtures {
    private static final AtomicLong PHONE = new AtomicLong(System.nanoTime() % 1_000_000);

    private Fixtures() {
    }

    /** A unique name, so tests sharing the run's database never collide. */
    public static String unique(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    public static long category(String market, String name) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            return Sql.insertId(c, "INSERT INTO categories (market, name) VALUES (?, ?) RETURNING id", market, name);
        }
    }

    /** A product with prices per selling market, e.g. {@code Map.of("KG", "100.00")}. */
    public static long product(String market, String name, Long categoryId, int stock, Map<String, String> prices)
            throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            long id = Sql.insertId(c, "INSERT INTO products (market, name, category_id, stock) VALUES (?, ?, ?, ?) RETURNING id",
                    market, name, categoryId, stock);
            for (var p : prices.entrySet()) {
                Sql.update(c, "INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, ?)",
                        id, p.getKey(), new BigDecimal(p.getValue()));
            }
            return id;
        }
    }

    public static long banner(String market, String title) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            return Sql.insertId(c, "INSERT INTO banners (market, title, image_url) VALUES (?, ?, 'https://img.test/b.jpg') RETURNING id",
                    market, title);
        }
    }

    /** A fresh valid phone of the market: KG +996 70x xxx xxx, US +1 202 55x xxxx. */
    public static String phone(String market) {
        long n = PHONE.incrementAndGet() % 1_000_000;
        return switch (market) {
            case "KG" -> String.format("+996700%06d", n);
            case "US" -> String.format("+1202555%04d", n % 10_000);
            default -> throw new IllegalArgumentException(market);
        };
    }

    public static long user(String market) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            for (int attempt = 0; ; attempt++) {
                String phone = phone(market);
                if (Sql.count(c, "SELECT count(*) FROM users WHERE phone = ?", phone) == 0 || attempt > 50) {
                    return Sql.insertId(c, "INSERT INTO users (market, phone) VALUES (?, ?) RETURNING id", market, phone);
                }
            }
        }
    }

    /** A manager who manages exactly {@code markets}. */
    public static long manager(String userMarket, String role, String... markets) throws SQLException {
        long id = user(userMarket);
        try (Connection c = TestDatabase.get().owner()) {
            Sql.update(c, "INSERT INTO store_managers (user_id, role) VALUES (?, ?)", id, role);
            for (String m : markets) {
                Sql.update(c, "INSERT INTO store_manager_markets (user_id, market) VALUES (?, ?)", id, m);
            }
        }
        return id;
    }
}
