package marketbackend.market;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Jdbc;
import marketbackend.db.Rows;

/**
 * The one mapping of a {@code markets} row: the server reads it through {@link MarketRegistry}, the
 * owner's commands through {@link #all(Connection)} (plain JDBC); both get every market, open and
 * closed, in display order.
 */
public final class MarketRepository {
    static final String SELECT_ALL = "SELECT code, name, currency, timezone, phone_region, calling_code, locale,"
            + " sms_provider, payment_gateway, delivery_service, is_active FROM markets ORDER BY position, code";

    private MarketRepository() {
    }

    public static List<Market> all(Connection c) throws SQLException {
        return Jdbc.rows(c, SELECT_ALL).stream().map(MarketRepository::market).toList();
    }

    /** The market of a row of {@link #SELECT_ALL}. */
    static Market market(DbRow r) {
        return new Market(
                Rows.text(r, "code"),
                Rows.text(r, "name"),
                Rows.text(r, "currency"),
                Rows.text(r, "timezone"),
                // char(2): padded by the database
                Rows.text(r, "phone_region").strip(),
                Rows.text(r, "calling_code"),
                Rows.text(r, "locale"),
                Rows.text(r, "sms_provider"),
                Rows.text(r, "payment_gateway"),
                Rows.text(r, "delivery_service"),
                Rows.bool(r, "is_active"));
    }

    /** "KG, US (closed: CA)": what an error message offers. */
    public static String describe(List<Market> markets) {
        List<String> open = markets.stream().filter(Market::open).map(Market::code).toList();
        List<String> closed = markets.stream().filter(m -> !m.open()).map(Market::code).toList();
        return String.join(", ", open) + (closed.isEmpty() ? "" : " (closed: " + String.join(", ", closed) + ")");
    }
}
