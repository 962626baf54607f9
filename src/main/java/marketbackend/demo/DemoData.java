package marketbackend.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import marketbackend.AppConfig;
import marketbackend.db.Jdbc;
import marketbackend.market.Market;
import marketbackend.market.MarketRepository;

/**
 * A small demo catalog for KG, US and ALL, loaded as the owner. Idempotent: rows are matched by
 * (market, name) and only missing ones are added. ALL products get a price in every open market
 * whose currency the demo knows, and in the market asked for with {@code demo-data --market CODE}.
 */
public final class DemoData {
    private DemoData() {
    }

    public record Result(int categories, int products, int prices, int banners) {
    }

    private record Product(String market, String category, String name, String description, int stock,
                           Map<String, String> prices) {
    }

    private static final List<String[]> CATEGORIES = List.of(
            new String[] {"ALL", "Electronics"},
            new String[] {"KG", "Национальная одежда"},
            new String[] {"KG", "Продукты"},
            new String[] {"US", "Outdoor"},
            new String[] {"US", "Kitchen"});

    private static final List<Product> PRODUCTS = List.of(
            new Product("ALL", "Electronics", "Smartphone X12", "6.5\" screen, 128 GB", 40,
                    Map.of("KGS", "45000.00", "USD", "499.00")),
            new Product("ALL", "Electronics", "Wireless earbuds", "Noise cancelling", 120,
                    Map.of("KGS", "3500.00", "USD", "49.99")),
            new Product("KG", "Национальная одежда", "Ак калпак", "Войлочная шапка ручной работы", 25,
                    Map.of("KGS", "1250.00")),
            new Product("KG", "Национальная одежда", "Чапан", "Традиционный халат", 8,
                    Map.of("KGS", "6800.00")),
            new Product("KG", "Продукты", "Кымыз, 1 л", "Свежий кумыс", 0,
                    Map.of("KGS", "250.00")),
            new Product("US", "Outdoor", "Camping tent", "Two-person, 3-season", 15,
                    Map.of("USD", "129.99")),
            new Product("US", "Outdoor", "Hiking boots", "Waterproof leather", 30,
                    Map.of("USD", "89.50")),
            new Product("US", "Kitchen", "Cast iron skillet", "12 inch, pre-seasoned", 0,
                    Map.of("USD", "34.00")));

    private static final List<String[]> BANNERS = List.of(
            new String[] {"ALL", "New smartphones", "https://cdn.example.com/banners/phones.jpg", "/products?q=Smartphone"},
            new String[] {"KG", "Нооруз: скидки на национальную одежду", "https://cdn.example.com/banners/nooruz.jpg", "/categories"},
            new String[] {"US", "Summer camping sale", "https://cdn.example.com/banners/camping.jpg", "/categories"});

    public static Result load(AppConfig cfg) throws SQLException {
        return load(cfg, null);
    }

    /**
     * @param market also this market (open or closed, e.g. one being prepared): the ALL products get a
     *               price in its currency (the USD figures where the demo knows no amounts in it) and
     *               it gets a welcome banner; null for the base demo only
     */
    public static Result load(AppConfig cfg, String market) throws SQLException {
        try (Connection c = Jdbc.asOwner(cfg)) {
            c.setAutoCommit(false);
            int categories = 0;
            int products = 0;
            int prices = 0;
            int banners = 0;
            Map<String, Long> categoryIds = new LinkedHashMap<>();
            for (String[] cat : CATEGORIES) {
                long before = idOf(c, "categories", cat[0], cat[1]);
                if (before == 0) {
                    categories += Jdbc.update(c, "INSERT INTO categories (market, name, position) VALUES (?, ?, ?)",
                            cat[0], cat[1], categories + 1);
                }
                categoryIds.put(cat[1], idOf(c, "categories", cat[0], cat[1]));
            }
            List<Market> markets = MarketRepository.all(c);
            Map<String, String> currencies = activeCurrencies(markets);
            List<String[]> bannerRows = new java.util.ArrayList<>(BANNERS);
            if (market != null) {
                Market m = markets.stream().filter(k -> k.code().equals(market)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("Unknown market '" + market + "'"));
                currencies.put(m.code(), m.currency());
                bannerRows.add(new String[] {m.code(), "Welcome to " + m.name(),
                        "https://cdn.example.com/banners/welcome.jpg", "/products"});
            }
            for (Product p : PRODUCTS) {
                long id = idOf(c, "products", p.market(), p.name());
                if (id == 0) {
                    products += Jdbc.update(c, "INSERT INTO products"
                            + " (market, category_id, name, description, stock) VALUES (?, ?, ?, ?, ?)",
                            p.market(), categoryIds.get(p.category()), p.name(), p.description(), p.stock());
                    id = idOf(c, "products", p.market(), p.name());
                }
                for (var m : currencies.entrySet()) {
                    String sellingMarket = m.getKey();
                    String price = p.prices().getOrDefault(m.getValue(),
                            sellingMarket.equals(market) ? p.prices().get("USD") : null);
                    boolean sold = p.market().equals("ALL") || p.market().equals(sellingMarket);
                    if (sold && price != null) {
                        prices += Jdbc.update(c, "INSERT INTO product_prices (product_id, market, price, currency)"
                                + " VALUES (?, ?, ?, ?) ON CONFLICT (product_id, market) DO NOTHING",
                                id, sellingMarket, new BigDecimal(price), m.getValue());
                    }
                }
            }
            for (String[] b : bannerRows) {
                List<String> same = Jdbc.strings(c, "SELECT title FROM banners WHERE market = ? AND title = ?",
                        b[0], b[1]);
                if (same.isEmpty()) {
                    banners += Jdbc.update(c, "INSERT INTO banners (market, title, image_url, link_url, position)"
                            + " VALUES (?, ?, ?, ?, ?)", b[0], b[1], b[2], b[3], banners + 1);
                }
            }
            c.commit();
            return new Result(categories, products, prices, banners);
        }
    }

    /** Each open market's currency, in display order; mutable, the market asked for is added to it. */
    private static Map<String, String> activeCurrencies(List<Market> markets) {
        Map<String, String> result = new LinkedHashMap<>();
        markets.stream().filter(Market::open).forEach(m -> result.put(m.code(), m.currency()));
        return result;
    }

    /** The id of the row of that market and name, or 0. */
    private static long idOf(Connection c, String table, String market, String name) throws SQLException {
        Long id = Jdbc.number(c, "SELECT id FROM " + table + " WHERE market = ? AND name = ? ORDER BY id LIMIT 1",
                market, name);
        return id == null ? 0 : id;
    }
}
