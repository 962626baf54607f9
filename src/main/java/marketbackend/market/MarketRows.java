package marketbackend.market;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code markets} table read by the owner's commands (plain JDBC), open and closed, in display order. */
public final class MarketRows {
    static final String COLUMNS = "code, name, currency, timezone, phone_region, calling_code, locale,"
            + " sms_provider, payment_gateway, delivery_service, is_active";

    private MarketRows() {
    }

    public static List<Market> all(Connection c) throws SQLException {
        List<Market> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM markets ORDER BY position, code");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Market(rs.getString("code"), rs.getString("name"), rs.getString("currency"),
                        rs.getString("timezone"), rs.getString("phone_region").strip(), rs.getString("calling_code"),
                        rs.getString("locale"), rs.getString("sms_provider"), rs.getString("payment_gateway"),
                        rs.getString("delivery_service"), rs.getBoolean("is_active")));
            }
        }
        return out;
    }

    /** "KG, US (closed: CA)": what an error message offers. */
    public static String describe(List<Market> markets) {
        List<String> open = markets.stream().filter(Market::open).map(Market::code).toList();
        List<String> closed = markets.stream().filter(m -> !m.open()).map(Market::code).toList();
        return String.join(", ", open) + (closed.isEmpty() ? "" : " (closed: " + String.join(", ", closed) + ")");
    }
}
