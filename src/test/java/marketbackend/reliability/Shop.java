package marketbackend.reliability;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import marketbackend.support.Sql;

/** Rows a shopper needs, written as the owner on any connection (the shared test database or a private one). */
final class Shop {
    private Shop() {
    }

    static long user(Connection owner, String phone) throws SQLException {
        return Sql.insertId(owner, "INSERT INTO users (phone) VALUES (?) RETURNING id", phone);
    }

    /** A deliverable address in the user's market (market and delivery service come from the triggers). */
    static long address(Connection owner, long userId, String market) throws SQLException {
        return "KG".equals(market)
                ? Sql.insertId(owner, "INSERT INTO addresses (user_id, line1, city, region, postal_code)"
                + " VALUES (?, 'пр. Чуй, 1', 'Бишкек', 'Bishkek', '720001') RETURNING id", userId)
                : Sql.insertId(owner, "INSERT INTO addresses (user_id, line1, city, region, postal_code)"
                + " VALUES (?, '350 5th Ave', 'New York', 'NY', '10001') RETURNING id", userId);
    }

    /** A saved card that expires in 2099 (the gateway comes from the trigger). */
    static long card(Connection owner, long userId) throws SQLException {
        return Sql.insertId(owner, "INSERT INTO payment_methods (user_id, token, brand, last4, exp_month, exp_year)"
                + " VALUES (?, ?, 'visa', '4242', 12, 2099) RETURNING id", userId, "tok_" + UUID.randomUUID().toString()
                .replace("-", ""));
    }

    /** A product of {@code market} ("ALL" too) priced in each market of {@code prices} (pairs market, price). */
    static long product(Connection owner, String market, String name, int stock, String... prices) throws SQLException {
        long id = Sql.insertId(owner, "INSERT INTO products (market, name, stock) VALUES (?, ?, ?) RETURNING id",
                market, name, stock);
        for (int i = 0; i < prices.length; i += 2) {
            Sql.update(owner, "INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, ?)",
                    id, prices[i], new BigDecimal(prices[i + 1]));
        }
        return id;
    }
}
