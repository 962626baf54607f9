package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;
import marketbackend.support.Sql;

import static marketbackend.db.Rls.as;
import static marketbackend.db.Rls.assertDenied;
import static marketbackend.db.Rls.assertHidden;
import static marketbackend.db.Rls.assertSees;
import static marketbackend.db.Rls.assertTouches;
import static marketbackend.db.Rls.customer;
import static marketbackend.db.Rls.manager;
import static marketbackend.db.Rls.other;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** categories, products, product_prices, banners: every role and granted command, allowed and denied, in KG and US. */
class CatalogPoliciesTest {
    private final World w = World.get();

    /** The three catalog tables that hold market, KG/US/ALL rows with the same policy shape. */
    enum Catalog {
        CATEGORIES("categories", "INSERT INTO categories (market, name) VALUES (?, ?) RETURNING market",
                "UPDATE categories SET name = ? WHERE id = ?", s -> s.categoryActive, s -> s.categoryInactive),
        PRODUCTS("products", "INSERT INTO products (market, name) VALUES (?, ?) RETURNING market",
                "UPDATE products SET name = ? WHERE id = ?", s -> s.productActive, s -> s.productInactive),
        BANNERS("banners", "INSERT INTO banners (market, title, image_url) VALUES (?, ?, 'https://img.test/x.jpg') RETURNING market",
                "UPDATE banners SET title = ? WHERE id = ?", s -> s.bannerActive, s -> s.bannerInactive);

        final String table;
        final String insert;
        final String rename;
        final ToLongFunction<World.Side> active;
        final ToLongFunction<World.Side> inactive;

        Catalog(String table, String insert, String rename, ToLongFunction<World.Side> active, ToLongFunction<World.Side> inactive) {
            this.table = table;
            this.insert = insert;
            this.rename = rename;
            this.active = active;
            this.inactive = inactive;
        }

        long active(World.Side s) {
            return active.applyAsLong(s);
        }

        long inactive(World.Side s) {
            return inactive.applyAsLong(s);
        }

        long all(World w) {
            return switch (this) {
                case CATEGORIES -> w.categoryAll;
                case PRODUCTS -> w.productAll;
                case BANNERS -> w.bannerAll;
            };
        }

        /** A fresh row written by the owner, for delete tests. */
        long fresh(String market) throws SQLException {
            String name = Fixtures.unique("del");
            return switch (this) {
                case CATEGORIES -> Fixtures.category(market, name);
                case PRODUCTS -> Fixtures.product(market, name, null, 1, Map.of());
                case BANNERS -> Fixtures.banner(market, name);
            };
        }
    }

    static Stream<Arguments> tablesAndMarkets() {
        return Stream.of(Catalog.values()).flatMap(t -> Stream.of(Arguments.of(t, "KG"), Arguments.of(t, "US")));
    }

    private Rls.Ctx storefront(String role, String market) {
        return role.equals(Rls.GUEST) ? Rls.guest(market) : customer(market, w.side(market).customerA);
    }

    // ------------------------------------------------------------------ guests and customers: select

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"market_guest, KG", "market_guest, US", "market_customer, KG", "market_customer, US"})
    void storefrontSeesActiveCatalogOfItsMarketAndAllOnly(String role, String market) throws SQLException {
        var mine = w.side(market);
        var theirs = w.side(other(market));
        as(storefront(role, market), c -> {
            for (Catalog t : Catalog.values()) {
                assertSees(c, t.table, t.active(mine));
                assertSees(c, t.table, t.all(w));
                assertHidden(c, t.table, t.inactive(mine));
                assertHidden(c, t.table, t.active(theirs));
                assertHidden(c, t.table, t.inactive(theirs));
            }
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"market_guest, KG", "market_guest, US", "market_customer, KG", "market_customer, US"})
    void storefrontSeesOnlyItsMarketsPricesOfVisibleProducts(String role, String market) throws SQLException {
        var mine = w.side(market);
        var theirs = w.side(other(market));
        as(storefront(role, market), c -> {
            assertEquals(1, price(c, mine.productActive, market), "own market's price");
            assertEquals(1, price(c, w.productAll, market), "ALL product's price in this market");
            assertEquals(1, Sql.count(c, "SELECT count(*) FROM product_prices WHERE product_id = ?", w.productAll),
                    "only one price of an ALL product: this market's");
            assertEquals(0, price(c, w.productAll, other(market)), "ALL product's price in the other market");
            assertEquals(0, price(c, theirs.productActive, other(market)), "other market's price");
            // the price row of an unpublished product is this market's own data; what the catalog reads
            // (prices joined to products) does not show it, because the product is hidden
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM products p JOIN product_prices pp ON pp.product_id = p.id "
                    + "WHERE p.id = ?", mine.productInactive), "price of an unpublished product, as the catalog reads it");
        });
    }

    // ------------------------------------------------------------------ customers: update products (stock only)

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerChangesNoCatalogColumnNotEvenStock(String market) throws SQLException {
        var mine = w.side(market);
        as(customer(market, mine.customerA), c -> {
            // stock moves only through checkout's order items (OrderPoliciesTest)
            assertDenied(c, "UPDATE products SET stock = stock - 1 WHERE id = ?", mine.productActive);
            assertDenied(c, "UPDATE products SET stock = 0 WHERE id = ?", w.productAll);
            assertDenied(c, "UPDATE products SET name = 'x' WHERE id = ?", mine.productActive);
            assertDenied(c, "UPDATE products SET market = ? WHERE id = ?", other(market), mine.productActive);
            assertDenied(c, "UPDATE products SET is_active = false WHERE id = ?", mine.productActive);
        });
    }

    // ------------------------------------------------------------------ managers of one market

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tablesAndMarkets")
    void managerSeesAllRowsOfTheirMarketAndAllButNoOtherMarket(Catalog t, String market) throws SQLException {
        var mine = w.side(market);
        var theirs = w.side(other(market));
        as(manager(market, mine.manager), c -> {
            assertSees(c, t.table, t.active(mine));
            assertSees(c, t.table, t.inactive(mine));
            assertSees(c, t.table, t.all(w));
            assertHidden(c, t.table, t.active(theirs));
            assertHidden(c, t.table, t.inactive(theirs));
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tablesAndMarkets")
    void managerInsertsIntoTheirMarketOnly(Catalog t, String market) throws SQLException {
        as(manager(market, w.side(market).manager), c -> {
            assertEquals(market, Sql.strings(c, t.insert, market, Fixtures.unique("mgr")).getFirst());
            assertDenied(c, t.insert, other(market), Fixtures.unique("mgr"));
            assertDenied(c, t.insert, "ALL", Fixtures.unique("mgr"));
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tablesAndMarkets")
    void managerUpdatesRowsOfTheirMarketOnlyAndCannotMoveThem(Catalog t, String market) throws SQLException {
        var mine = w.side(market);
        var theirs = w.side(other(market));
        as(manager(market, mine.manager), c -> {
            assertTouches(1, c, t.rename, "renamed", t.active(mine));
            assertTouches(1, c, t.rename, "renamed", t.inactive(mine));
            assertTouches(0, c, t.rename, "renamed", t.active(theirs));
            assertTouches(0, c, t.rename, "renamed", t.all(w));
            // the inactive rows have no category, so the WITH CHECK (not the category trigger) refuses
            assertDenied(c, "UPDATE " + t.table + " SET market = ? WHERE id = ?", other(market), t.inactive(mine));
            assertDenied(c, "UPDATE " + t.table + " SET market = 'ALL' WHERE id = ?", t.inactive(mine));
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tablesAndMarkets")
    void managerDeletesRowsOfTheirMarketOnly(Catalog t, String market) throws SQLException {
        long mine = t.fresh(market);
        long theirs = t.fresh(other(market));
        long all = t.fresh("ALL");
        as(manager(market, w.side(market).manager), c -> {
            assertTouches(1, c, "DELETE FROM " + t.table + " WHERE id = ?", mine);
            assertTouches(0, c, "DELETE FROM " + t.table + " WHERE id = ?", theirs);
            assertTouches(0, c, "DELETE FROM " + t.table + " WHERE id = ?", all);
        });
    }

    // ------------------------------------------------------------------ managers: product_prices

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerSeesPricesOfTheirMarketOnly(String market) throws SQLException {
        var mine = w.side(market);
        as(manager(market, mine.manager), c -> {
            assertEquals(1, price(c, mine.productActive, market));
            assertEquals(1, price(c, mine.productInactive, market), "drafts are the manager's to price");
            assertEquals(1, price(c, w.productAll, market));
            assertEquals(0, price(c, w.productAll, other(market)));
            assertEquals(0, price(c, w.side(other(market)).productActive, other(market)));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerSetsPricesInTheirMarketOnly(String market) throws SQLException {
        long product = Fixtures.product(market, Fixtures.unique("unpriced"), null, 1, Map.of());
        long productAll = Fixtures.product("ALL", Fixtures.unique("unpriced all"), null, 1, Map.of());
        String currency = market.equals("KG") ? "KGS" : "USD";
        as(manager(market, w.side(market).manager), c -> {
            // the currency is the market's, whatever the caller sends
            assertEquals(currency, Sql.strings(c, "INSERT INTO product_prices (product_id, market, price, currency) "
                    + "VALUES (?, ?, 5.00, 'EUR') RETURNING currency", product, market).getFirst());
            Rls.assertAllowed(c, "INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, 5.00)", productAll, market);
            assertDenied(c, "INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, 5.00)", productAll, other(market));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerChangesPricesInTheirMarketOnly(String market) throws SQLException {
        var mine = w.side(market);
        as(manager(market, mine.manager), c -> {
            assertTouches(1, c, "UPDATE product_prices SET price = 11.00 WHERE product_id = ? AND market = ?", mine.productActive, market);
            assertTouches(1, c, "UPDATE product_prices SET price = 11.00 WHERE product_id = ? AND market = ?", w.productAll, market);
            assertTouches(0, c, "UPDATE product_prices SET price = 11.00 WHERE product_id = ? AND market = ?", w.productAll, other(market));
            assertTouches(0, c, "UPDATE product_prices SET price = 11.00 WHERE product_id = ?", w.side(other(market)).productActive);
            // moving this market's price of an ALL product into the other market
            assertDenied(c, "UPDATE product_prices SET market = ? WHERE product_id = ? AND market = ?", other(market), w.productAll, market);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void managerDeletesPricesInTheirMarketOnly(String market) throws SQLException {
        var mine = w.side(market);
        as(manager(market, mine.manager), c -> {
            assertTouches(1, c, "DELETE FROM product_prices WHERE product_id = ? AND market = ?", w.productAll, market);
            assertTouches(0, c, "DELETE FROM product_prices WHERE product_id = ? AND market = ?", w.productAll, other(market));
            assertTouches(0, c, "DELETE FROM product_prices WHERE product_id = ?", w.side(other(market)).productActive);
        });
    }

    private static long price(Connection c, long product, String market) throws SQLException {
        return Sql.count(c, "SELECT count(*) FROM product_prices WHERE product_id = ? AND market = ?", product, market);
    }
}
