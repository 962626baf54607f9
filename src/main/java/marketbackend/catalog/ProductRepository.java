package marketbackend.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Tx;
import marketbackend.http.Money;

/**
 * Catalog reads. No {@code WHERE market = ...} here: the policies decide what the current market
 * sees (its own rows and ALL, with the prices of this market only).
 */
public final class ProductRepository {
    private static final String COLUMNS = """
            p.id, p.market, p.category_id, p.name, p.description, p.stock, p.in_stock,
            pp.price, pp.currency""";
    private static final String FROM = " FROM products p JOIN product_prices pp ON pp.product_id = p.id";

    /** Filters of the product list; null means "any". */
    public record Filter(Long categoryId, String query) {
    }

    public List<ProductJson> list(Tx tx, Filter f, int limit, int offset) {
        List<Object> params = new ArrayList<>();
        String where = where(f, params);
        params.add(limit);
        params.add(offset);
        return tx.query("SELECT " + COLUMNS + FROM + where + " ORDER BY p.id LIMIT ? OFFSET ?", params.toArray())
                .stream().map(ProductRepository::toJson).toList();
    }

    public long count(Tx tx, Filter f) {
        List<Object> params = new ArrayList<>();
        String where = where(f, params);
        return tx.get("SELECT count(*) AS n" + FROM + where, params.toArray())
                .map(r -> r.column("n").get(Long.class)).orElse(0L);
    }

    public Optional<ProductJson> find(Tx tx, long id) {
        return tx.get("SELECT " + COLUMNS + FROM + " WHERE p.id = ?", id).map(ProductRepository::toJson);
    }

    private static String where(Filter f, List<Object> params) {
        StringBuilder sb = new StringBuilder();
        if (f.categoryId() != null) {
            sb.append(" AND p.category_id = ?");
            params.add(f.categoryId());
        }
        if (f.query() != null) {
            sb.append(" AND p.name ILIKE ? ESCAPE '\\'");
            params.add("%" + likeEscape(f.query()) + "%");
        }
        return sb.isEmpty() ? "" : " WHERE" + sb.substring(4);
    }

    static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static ProductJson toJson(DbRow r) {
        return new ProductJson(
                r.column("id").get(Long.class),
                r.column("market").get(String.class),
                r.column("category_id").get(Long.class),
                r.column("name").get(String.class),
                r.column("description").get(String.class),
                Money.format(r.column("price").get(BigDecimal.class)),
                r.column("currency").get(String.class),
                r.column("stock").get(Integer.class),
                r.column("in_stock").get(Boolean.class));
    }

    /** A product as clients see it: price in the serving market's currency. */
    public record ProductJson(long id, String market, Long categoryId, String name, String description,
                              String price, String currency, int stock, boolean inStock) {
    }
}
