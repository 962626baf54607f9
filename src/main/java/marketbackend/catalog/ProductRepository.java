package marketbackend.catalog;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.db.Updates;
import marketbackend.value.Money;

/**
 * The one home of {@code products} and {@code product_prices}: the storefront, the manager API and
 * the cart read and write them here. No {@code WHERE market = ...}: the policies decide what the
 * current market sees (its own rows and ALL, with the prices of this market only).
 */
public final class ProductRepository {
    private static final String COLUMNS = "p.id, p.market, p.category_id, p.name, p.description, p.stock, p.in_stock";
    // the storefront shows what has a price in this market
    private static final String PRICED = "products p JOIN product_prices pp ON pp.product_id = p.id";
    // a manager also sees an ALL product that this market has not priced yet (price null)
    private static final String MANAGED = "products p LEFT JOIN product_prices pp ON pp.product_id = p.id";
    private static final String MANAGED_COLUMNS = COLUMNS + ", p.is_active, p.created_at, p.updated_at, pp.price";
    /** What a PATCH may change, with each column's SQL type. */
    private static final Map<String, String> CHANGEABLE = Map.of("name", "text", "description", "text",
            "category_id", "bigint", "stock", "integer", "is_active", "boolean");

    /** The columns of {@link #joinBuyable}: name, price, currency, and whether the product can be bought. */
    public static final String BUYABLE_COLUMNS = "p.name, pp.price, pp.currency, (p.id IS NOT NULL AND pp.price IS NOT NULL) AS available";

    private ProductRepository() {
    }

    /**
     * A line (cart, wishlist) joined to the product it names as {@code p} and to this market's price
     * as {@code pp}; both null when the customer cannot buy it. Prices join through the visible
     * product: a hidden product's price would still be visible on its own.
     */
    public static String joinBuyable(String productIdColumn) {
        return " LEFT JOIN products p ON p.id = " + productIdColumn + " LEFT JOIN product_prices pp ON pp.product_id = p.id";
    }

    /**
     * The ALL products as {@code p} that have no price in the market {@code marketExpression} names (a
     * column or {@code ?}): a market opens only when there are none. For the owner's commands, which
     * bypass the policies, hence the explicit market.
     */
    public static String unpricedAll(String marketExpression) {
        return "products p WHERE p.market = 'ALL' AND NOT EXISTS (SELECT 1 FROM product_prices pp"
                + " WHERE pp.product_id = p.id AND pp.market = " + marketExpression + ")";
    }

    /** A product as the storefront shows it: price in the serving market's currency. */
    public record ProductJson(long id, String market, Long categoryId, String name, String description,
                              String price, String currency, int stock, boolean inStock) {
    }

    /** A product as its manager sees it; {@code price} is null while this market has none. */
    public record ManagedProductJson(long id, String market, Long categoryId, String name, String description,
                                     String price, String currency, int stock, boolean inStock, boolean isActive,
                                     OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    /** A product the customer may buy: visible in the market (policies) and priced in it. */
    public record Buyable(long id, String name, int stock) {
    }

    /** The storefront list; a null filter means "any". */
    public static Listing<ProductJson> shelf(Long categoryId, String nameContains) {
        return filtered(Listing.of(COLUMNS + ", pp.price, pp.currency", PRICED, ProductRepository::toJson)
                .orderBy("p.id"), categoryId, nameContains);
    }

    public static Optional<ProductJson> find(Tx tx, long id) {
        return tx.get("SELECT " + COLUMNS + ", pp.price, pp.currency FROM " + PRICED + " WHERE p.id = ?", id)
                .map(ProductRepository::toJson);
    }

    /** Empty for a missing product and for one of another market alike. */
    public static Optional<Buyable> buyable(Tx tx, long id) {
        return tx.get("SELECT p.id, p.name, p.stock FROM " + PRICED + " WHERE p.id = ?", id)
                .map(r -> new Buyable(Rows.number(r, "id"), Rows.text(r, "name"), Rows.integer(r, "stock")));
    }

    /** The manager's list, newest first; {@code currency} is the current market's. */
    public static Listing<ManagedProductJson> managed(String currency, Long categoryId, String nameContains,
                                                      Boolean active) {
        Listing<ManagedProductJson> list = filtered(Listing.of(MANAGED_COLUMNS, MANAGED, r -> toManaged(r, currency))
                .countFrom("products p").orderBy("p.id DESC"), categoryId, nameContains);
        return active == null ? list : list.where("p.is_active = ?", active);
    }

    public static Optional<ManagedProductJson> findManaged(Tx tx, String currency, long id) {
        return tx.get("SELECT " + MANAGED_COLUMNS + " FROM " + MANAGED + " WHERE p.id = ?", id)
                .map(r -> toManaged(r, currency));
    }

    /** Inserts a product; answers its id. */
    public static long create(Tx tx, String market, Long categoryId, String name, String description, int stock) {
        return Rows.number(tx.get("""
                INSERT INTO products (market, category_id, name, description, stock)
                VALUES (?, CAST(? AS bigint), ?, CAST(? AS text), ?) RETURNING id""",
                market, categoryId, name, description, stock).orElseThrow(), "id");
    }

    /** The first price of a new product, in {@code market}. */
    public static void addPrice(Tx tx, long id, String market, BigDecimal price) {
        tx.dml("INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, ?)", id, market, price);
    }

    /** Sets the price in {@code market}: any manager of a market where the product sells. */
    public static void setPrice(Tx tx, long id, String market, BigDecimal price) {
        tx.dml("""
                INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, ?)
                ON CONFLICT (product_id, market) DO UPDATE SET price = excluded.price""", id, market, price);
    }

    /** Sets the columns named in {@code changes} (and updated_at); false when no row was writable. */
    public static boolean update(Tx tx, long id, Map<String, Object> changes) {
        return new Updates("products", CHANGEABLE).setAll(changes).setSql("updated_at", "now()").run(tx, id) > 0;
    }

    private static <T> Listing<T> filtered(Listing<T> list, Long categoryId, String nameContains) {
        if (categoryId != null) {
            list.where("p.category_id = ?", categoryId);
        }
        if (nameContains != null) {
            list.where("p.name ILIKE ? ESCAPE '\\'", Listing.contains(nameContains));
        }
        return list;
    }

    private static ProductJson toJson(DbRow r) {
        return new ProductJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.optionalNumber(r, "category_id"),
                Rows.text(r, "name"), Rows.optionalText(r, "description"), Money.format(Rows.decimal(r, "price")),
                Rows.text(r, "currency"), Rows.integer(r, "stock"), Rows.bool(r, "in_stock"));
    }

    private static ManagedProductJson toManaged(DbRow r, String currency) {
        return new ManagedProductJson(Rows.number(r, "id"), Rows.text(r, "market"),
                Rows.optionalNumber(r, "category_id"), Rows.text(r, "name"), Rows.optionalText(r, "description"),
                Money.format(Rows.optionalDecimal(r, "price")), currency, Rows.integer(r, "stock"),
                Rows.bool(r, "in_stock"), Rows.bool(r, "is_active"), Rows.time(r, "created_at"),
                Rows.time(r, "updated_at"));
    }
}
