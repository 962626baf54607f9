package marketbackend.market;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@code market list}: one line per market, with what opening it needs (managers, ALL products without a price). */
final class MarketListing {
    private static final String FORMAT = "%-4s %-6s %-20s %-4s %-20s %-10s %-6s %8s %9s %12s";

    private MarketListing() {
    }

    static List<String> lines(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        out.add(String.format(FORMAT, "CODE", "STATE", "NAME", "CUR", "TIMEZONE", "PHONES", "LOCALE", "MANAGERS",
                "USERS", "ALL_UNPRICED"));
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT k.code, k.is_active, k.name, k.currency, k.timezone, k.phone_region, k.calling_code, k.locale,
                       (SELECT count(*) FROM store_manager_markets s WHERE s.market = k.code) AS managers,
                       (SELECT count(*) FROM users u WHERE u.market = k.code) AS users,
                       (SELECT count(*) FROM products p
                        WHERE p.market = 'ALL' AND NOT EXISTS (SELECT 1 FROM product_prices pp
                                                               WHERE pp.product_id = p.id AND pp.market = k.code)) AS unpriced
                FROM markets k ORDER BY k.position, k.code""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(String.format(FORMAT, rs.getString("code"), rs.getBoolean("is_active") ? "open" : "closed",
                        rs.getString("name"), rs.getString("currency"), rs.getString("timezone"),
                        rs.getString("phone_region").strip() + " +" + rs.getString("calling_code"), rs.getString("locale"),
                        rs.getLong("managers"), rs.getLong("users"), rs.getLong("unpriced")));
            }
        }
        return out;
    }
}
