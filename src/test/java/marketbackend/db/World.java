package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

/**
 * One row of every table in each market, written once per run by the owner (BYPASSRLS), for the
 * policy tests to look at through the request roles. Two customers per market (A and B), so that
 * a test can show a customer's rows are hidden from the other customer of the same market.
 * All names and phones are unique to this run; tests assert on these ids only.
 */
final class World {
    private static World instance;

    final String tag = Fixtures.unique("rls");
    final Map<String, Side> sides = new LinkedHashMap<>();
    long categoryAll;
    long productAll;
    long bannerAll;
    /** Manages KG and US: every active market, so may write ALL catalog rows. */
    long managerBoth;

    /** The rows of one market. */
    static final class Side {
        final String market;
        long categoryActive;
        long categoryInactive;
        long productActive;
        long productInactive;
        long bannerActive;
        long bannerInactive;
        long customerA;
        String phoneA;
        long customerB;
        String phoneB;
        long addressA;
        long addressB;
        long paymentA;
        long paymentB;
        long notificationA;
        long notificationB;
        long cartA;
        long cartB;
        long cartItemA;
        long cartItemB;
        long wishlistA;
        long wishlistB;
        long wishlistItemA;
        long wishlistItemB;
        long orderA;
        long orderB;
        long orderItemA;
        long orderItemB;
        long codeA;
        long codeB;
        long snapshot;
        /** Manages this market only. */
        long manager;
        long audit;

        Side(String market) {
            this.market = market;
        }
    }

    static synchronized World get() {
        if (instance == null) {
            try {
                instance = new World();
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot seed the policy test rows: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    Side side(String market) {
        return sides.get(market);
    }

    private World() throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            categoryAll = id(c, "INSERT INTO categories (market, name) VALUES ('ALL', ?) RETURNING id", tag + " cat all");
            productAll = id(c, "INSERT INTO products (market, name, category_id, stock) VALUES ('ALL', ?, ?, 9) RETURNING id",
                    tag + " all", categoryAll);
            Sql.update(c, "INSERT INTO product_prices (product_id, market, price) VALUES (?, 'KG', 900.00), (?, 'US', 9.99)",
                    productAll, productAll);
            bannerAll = id(c, "INSERT INTO banners (market, title, image_url) VALUES ('ALL', ?, 'https://img.test/all.jpg') RETURNING id",
                    tag + " all");
            for (String m : new String[] {"KG", "US"}) {
                sides.put(m, seed(c, m));
            }
        }
        managerBoth = Fixtures.manager("KG", "admin", "KG", "US");
    }

    private Side seed(Connection c, String m) throws SQLException {
        Side s = new Side(m);
        s.categoryActive = id(c, "INSERT INTO categories (market, name) VALUES (?, ?) RETURNING id", m, tag + " cat " + m);
        s.categoryInactive = id(c, "INSERT INTO categories (market, name, is_active) VALUES (?, ?, false) RETURNING id",
                m, tag + " hidden cat " + m);
        s.productActive = id(c, "INSERT INTO products (market, name, category_id, stock) VALUES (?, ?, ?, 5) RETURNING id",
                m, tag + " " + m, s.categoryActive);
        s.productInactive = id(c, "INSERT INTO products (market, name, stock, is_active) VALUES (?, ?, 5, false) RETURNING id",
                m, tag + " hidden " + m);
        Sql.update(c, "INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, 10.00), (?, ?, 20.00)",
                s.productActive, m, s.productInactive, m);
        s.bannerActive = id(c, "INSERT INTO banners (market, title, image_url) VALUES (?, ?, 'https://img.test/b.jpg') RETURNING id",
                m, tag + " " + m);
        s.bannerInactive = id(c, "INSERT INTO banners (market, title, image_url, is_active) VALUES (?, ?, 'https://img.test/h.jpg', false) RETURNING id",
                m, tag + " hidden " + m);

        s.customerA = Fixtures.user(m);
        s.phoneA = phone(c, s.customerA);
        s.customerB = Fixtures.user(m);
        s.phoneB = phone(c, s.customerB);

        s.addressA = address(c, s.customerA);
        s.addressB = address(c, s.customerB);
        s.paymentA = payment(c, s.customerA);
        s.paymentB = payment(c, s.customerB);
        s.notificationA = notification(c, s.customerA);
        s.notificationB = notification(c, s.customerB);

        s.cartA = id(c, "INSERT INTO carts (user_id) VALUES (?) RETURNING id", s.customerA);
        s.cartB = id(c, "INSERT INTO carts (user_id) VALUES (?) RETURNING id", s.customerB);
        s.cartItemA = id(c, "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (?, ?, 1) RETURNING id", s.cartA, s.productActive);
        s.cartItemB = id(c, "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (?, ?, 2) RETURNING id", s.cartB, productAll);
        s.wishlistA = id(c, "INSERT INTO wishlists (user_id) VALUES (?) RETURNING id", s.customerA);
        s.wishlistB = id(c, "INSERT INTO wishlists (user_id) VALUES (?) RETURNING id", s.customerB);
        s.wishlistItemA = id(c, "INSERT INTO wishlist_items (wishlist_id, product_id) VALUES (?, ?) RETURNING id", s.wishlistA, s.productActive);
        s.wishlistItemB = id(c, "INSERT INTO wishlist_items (wishlist_id, product_id) VALUES (?, ?) RETURNING id", s.wishlistB, productAll);

        s.orderA = order(c, s.customerA, s.addressA, s.paymentA);
        s.orderB = order(c, s.customerB, s.addressB, s.paymentB);
        s.orderItemA = orderItem(c, s.orderA, s.productActive);
        s.orderItemB = orderItem(c, s.orderB, productAll);

        // the market of a code comes from the phone (trigger), not from this insert
        s.codeA = id(c, "INSERT INTO verification_codes (phone, code_hash, expires_at) VALUES (?, 'h', now() + interval '5 minutes') RETURNING id", s.phoneA);
        s.codeB = id(c, "INSERT INTO verification_codes (phone, code_hash, expires_at) VALUES (?, 'h', now() + interval '5 minutes') RETURNING id", s.phoneB);

        s.snapshot = snapshot(c, m);
        s.manager = Fixtures.manager(m, "manager", m);
        Sql.update(c, "INSERT INTO manager_settings (user_id, active_market) VALUES (?, ?)", s.manager, m);
        s.audit = id(c, "INSERT INTO audit_log (market, manager_id, action, entity, entity_id) VALUES (?, ?, 'update', 'product', ?) RETURNING id",
                m, s.manager, Long.toString(s.productActive));
        return s;
    }

    private static long address(Connection c, long user) throws SQLException {
        return id(c, "INSERT INTO addresses (user_id, line1, city, region, postal_code) VALUES (?, '1 Test St', 'City', 'Region', '0001') RETURNING id", user);
    }

    private static long payment(Connection c, long user) throws SQLException {
        return id(c, "INSERT INTO payment_methods (user_id, token, brand, last4, exp_month, exp_year) VALUES (?, 'tok_test', 'visa', '4242', 12, 2099) RETURNING id", user);
    }

    private static long notification(Connection c, long user) throws SQLException {
        return id(c, "INSERT INTO notifications (user_id, title, body) VALUES (?, 'Hello', 'Body') RETURNING id", user);
    }

    private static long order(Connection c, long user, long address, long payment) throws SQLException {
        return id(c, "INSERT INTO orders (user_id, total_amount, address_id, payment_method_id) VALUES (?, 10.00, ?, ?) RETURNING id",
                user, address, payment);
    }

    private static long orderItem(Connection c, long order, long product) throws SQLException {
        return id(c, "INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price, line_total) VALUES (?, ?, 'Item', 1, 10.00, 10.00) RETURNING id",
                order, product);
    }

    /** A snapshot on a random day long ago: (market, date) is unique across the whole run. */
    private static long snapshot(Connection c, String m) throws SQLException {
        for (int attempt = 0; attempt < 20; attempt++) {
            LocalDate day = LocalDate.of(1970, 1, 1).plusDays(ThreadLocalRandom.current().nextInt(20_000));
            long id = id(c, """
                    INSERT INTO revenue_snapshots (market, date, currency, total_revenue, total_orders, average_order_value)
                    SELECT ?, ?, k.currency, 100.00, 2, 50.00 FROM markets k WHERE k.code = ?
                    ON CONFLICT (market, date) DO NOTHING RETURNING id""", m, day, m);
            if (id != 0) {
                return id;
            }
        }
        throw new IllegalStateException("no free snapshot date");
    }

    private static String phone(Connection c, long user) throws SQLException {
        return Sql.strings(c, "SELECT phone FROM users WHERE id = ?", user).getFirst();
    }

    /** A phone of the market that no user has yet. */
    static String freshPhone(String market) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            while (true) {
                String phone = Fixtures.phone(market);
                if (Sql.count(c, "SELECT count(*) FROM users WHERE phone = ?", phone) == 0) {
                    return phone;
                }
            }
        }
    }

    /** Runs an INSERT ... RETURNING id; 0 when it returned no row. */
    static long id(Connection c, String sql, Object... params) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
