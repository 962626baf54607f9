package marketbackend.market;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.helidon.dbclient.DbRow;

import marketbackend.catalog.ProductRepository;
import marketbackend.db.Jdbc;
import marketbackend.db.Rows;

/** {@code market list}: one line per market, with what opening it needs (managers, ALL products without a price). */
final class MarketListing {
    private static final String FORMAT = "%-4s %-6s %-20s %-4s %-20s %-10s %-6s %8s %9s %12s";

    private MarketListing() {
    }

    static List<String> lines(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        out.add(String.format(FORMAT, "CODE", "STATE", "NAME", "CUR", "TIMEZONE", "PHONES", "LOCALE", "MANAGERS",
                "USERS", "ALL_UNPRICED"));
        List<DbRow> rows = Jdbc.rows(c, """
                SELECT k.code, k.is_active, k.name, k.currency, k.timezone, k.phone_region, k.calling_code, k.locale,
                       (SELECT count(*) FROM store_manager_markets s WHERE s.market = k.code) AS managers,
                       (SELECT count(*) FROM users u WHERE u.market = k.code) AS users,
                       (SELECT count(*) FROM %s) AS unpriced
                FROM markets k ORDER BY k.position, k.code""".formatted(ProductRepository.unpricedAll("k.code")));
        for (DbRow r : rows) {
            out.add(String.format(FORMAT, Rows.text(r, "code"), Rows.bool(r, "is_active") ? "open" : "closed",
                    Rows.text(r, "name"), Rows.text(r, "currency"), Rows.text(r, "timezone"),
                    Rows.text(r, "phone_region").strip() + " +" + Rows.text(r, "calling_code"), Rows.text(r, "locale"),
                    Rows.number(r, "managers"), Rows.number(r, "users"), Rows.number(r, "unpriced")));
        }
        return out;
    }
}
