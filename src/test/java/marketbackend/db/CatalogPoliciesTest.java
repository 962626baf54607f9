package marketbackend.db;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import marketbackend.support.Fixtures;

import static marketbackend.db.PolicyCase.CUSTOMER_A;
import static marketbackend.db.PolicyCase.DENIED;
import static marketbackend.db.PolicyCase.GUEST;
import static marketbackend.db.PolicyCase.MANAGER;
import static marketbackend.db.PolicyCase.RETURNS_MARKET;
import static marketbackend.db.PolicyCase.hide;
import static marketbackend.db.PolicyCase.returns;
import static marketbackend.db.PolicyCase.rows;
import static marketbackend.db.PolicyCase.see;

/** categories, products, product_prices, banners: every role and granted command, allowed and denied, in KG and US. */
class CatalogPoliciesTest extends PolicyTable {
    private static final String PRICE = "SELECT product_id FROM product_prices WHERE product_id = ? AND market = ?";
    private static final String REPRICE = "UPDATE product_prices SET price = 11.00 WHERE product_id = ? AND market = ?";
    private static final String UNPRICE = "DELETE FROM product_prices WHERE product_id = ? AND market = ?";
    private static final String SET_PRICE = "INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, 5.00)";

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

    static final List<PolicyCase> CASES = table();

    private static List<PolicyCase> table() {
        List<PolicyCase> k = new ArrayList<>();
        for (Catalog t : Catalog.values()) {
            // ---------------------------------------------------------------- guests and customers: select
            for (PolicyCase.Who storefront : List.of(GUEST, CUSTOMER_A)) {
                k.addAll(List.of(
                        see(storefront, t.table, "own market's active", h -> List.of(t.active(h.mine))),
                        see(storefront, t.table, "ALL's", h -> List.of(t.all(h.w))),
                        hide(storefront, t.table, "own market's inactive", h -> List.of(t.inactive(h.mine))),
                        hide(storefront, t.table, "the other market's active", h -> List.of(t.active(h.theirs))),
                        hide(storefront, t.table, "the other market's inactive", h -> List.of(t.inactive(h.theirs)))));
            }

            // ---------------------------------------------------------------- managers of one market
            String move = "UPDATE " + t.table + " SET market = ? WHERE id = ?";
            String delete = "DELETE FROM " + t.table + " WHERE id = ?";
            k.addAll(List.of(
                    see(MANAGER, t.table, "own market's active", h -> List.of(t.active(h.mine))),
                    see(MANAGER, t.table, "own market's inactive", h -> List.of(t.inactive(h.mine))),
                    see(MANAGER, t.table, "ALL's", h -> List.of(t.all(h.w))),
                    hide(MANAGER, t.table, "the other market's active", h -> List.of(t.active(h.theirs))),
                    hide(MANAGER, t.table, "the other market's inactive", h -> List.of(t.inactive(h.theirs))),
                    new PolicyCase(MANAGER, "into own market", t.insert, h -> List.of(h.market, Fixtures.unique("mgr")), RETURNS_MARKET),
                    new PolicyCase(MANAGER, "into the other market", t.insert, h -> List.of(h.other(), Fixtures.unique("mgr")), DENIED),
                    new PolicyCase(MANAGER, "into ALL", t.insert, h -> List.of("ALL", Fixtures.unique("mgr")), DENIED),
                    new PolicyCase(MANAGER, "own market's active", t.rename, h -> List.of("renamed", t.active(h.mine)), rows(1)),
                    new PolicyCase(MANAGER, "own market's inactive", t.rename, h -> List.of("renamed", t.inactive(h.mine)), rows(1)),
                    new PolicyCase(MANAGER, "the other market's active", t.rename, h -> List.of("renamed", t.active(h.theirs)), rows(0)),
                    new PolicyCase(MANAGER, "ALL's", t.rename, h -> List.of("renamed", t.all(h.w)), rows(0)),
                    // the inactive rows have no category, so the WITH CHECK (not the category trigger) refuses
                    new PolicyCase(MANAGER, "move own market's inactive to the other market", move,
                            h -> List.of(h.other(), t.inactive(h.mine)), DENIED),
                    new PolicyCase(MANAGER, "move own market's inactive to ALL", move, h -> List.of("ALL", t.inactive(h.mine)), DENIED),
                    new PolicyCase(MANAGER, "a new one of own market", delete, h -> List.of(h.fresh("mine", () -> t.fresh(h.market))),
                            rows(1)),
                    new PolicyCase(MANAGER, "a new one of the other market", delete,
                            h -> List.of(h.fresh("theirs", () -> t.fresh(h.other()))), rows(0)),
                    new PolicyCase(MANAGER, "a new one of ALL", delete, h -> List.of(h.fresh("all", () -> t.fresh("ALL"))), rows(0))));
        }

        // ---------------------------------------------------------------- product_prices: guests and customers
        for (PolicyCase.Who storefront : List.of(GUEST, CUSTOMER_A)) {
            k.addAll(List.of(
                    new PolicyCase(storefront, "own market's", PRICE, h -> List.of(h.mine.productActive, h.market), rows(1)),
                    new PolicyCase(storefront, "ALL product's, in this market", PRICE, h -> List.of(h.w.productAll, h.market), rows(1)),
                    // only one price of an ALL product: this market's
                    new PolicyCase(storefront, "every price of the ALL product", "SELECT market FROM product_prices WHERE product_id = ?",
                            h -> List.of(h.w.productAll), returns("<market>")),
                    new PolicyCase(storefront, "ALL product's, in the other market", PRICE, h -> List.of(h.w.productAll, h.other()),
                            rows(0)),
                    new PolicyCase(storefront, "the other market's", PRICE, h -> List.of(h.theirs.productActive, h.other()), rows(0)),
                    // the price row of an unpublished product is this market's own data; what the catalog reads
                    // (prices joined to products) does not show it, because the product is hidden
                    new PolicyCase(storefront, "an unpublished product's price, as the catalog reads it",
                            "SELECT p.id FROM products p JOIN product_prices pp ON pp.product_id = p.id WHERE p.id = ?",
                            h -> List.of(h.mine.productInactive), rows(0))));
        }

        k.addAll(List.of(
                // ---------------------------------------------------------------- customers: update products (stock only)
                // stock moves only through checkout's order items (OrderPoliciesTest)
                new PolicyCase(CUSTOMER_A, "take own market's stock", "UPDATE products SET stock = stock - 1 WHERE id = ?",
                        h -> List.of(h.mine.productActive), DENIED),
                new PolicyCase(CUSTOMER_A, "empty ALL's stock", "UPDATE products SET stock = 0 WHERE id = ?",
                        h -> List.of(h.w.productAll), DENIED),
                new PolicyCase(CUSTOMER_A, "rename own market's", "UPDATE products SET name = 'x' WHERE id = ?",
                        h -> List.of(h.mine.productActive), DENIED),
                new PolicyCase(CUSTOMER_A, "move own market's to the other market", "UPDATE products SET market = ? WHERE id = ?",
                        h -> List.of(h.other(), h.mine.productActive), DENIED),
                new PolicyCase(CUSTOMER_A, "unpublish own market's", "UPDATE products SET is_active = false WHERE id = ?",
                        h -> List.of(h.mine.productActive), DENIED),

                // ---------------------------------------------------------------- product_prices: managers
                new PolicyCase(MANAGER, "own market's", PRICE, h -> List.of(h.mine.productActive, h.market), rows(1)),
                // drafts are the manager's to price
                new PolicyCase(MANAGER, "own market's unpublished", PRICE, h -> List.of(h.mine.productInactive, h.market), rows(1)),
                new PolicyCase(MANAGER, "ALL product's, in this market", PRICE, h -> List.of(h.w.productAll, h.market), rows(1)),
                new PolicyCase(MANAGER, "ALL product's, in the other market", PRICE, h -> List.of(h.w.productAll, h.other()), rows(0)),
                new PolicyCase(MANAGER, "the other market's", PRICE, h -> List.of(h.theirs.productActive, h.other()), rows(0)),
                // the currency is the market's, whatever the caller sends
                new PolicyCase(MANAGER, "own market's, in euros",
                        "INSERT INTO product_prices (product_id, market, price, currency) VALUES (?, ?, 5.00, 'EUR') RETURNING currency",
                        h -> List.of(h.fresh("unpriced", () -> unpriced(h.market)), h.market), returns("<currency>")),
                new PolicyCase(MANAGER, "ALL product's, in this market", SET_PRICE,
                        h -> List.of(h.fresh("unpriced all", () -> unpriced("ALL")), h.market), rows(1)),
                new PolicyCase(MANAGER, "ALL product's, in the other market", SET_PRICE,
                        h -> List.of(h.fresh("unpriced all", () -> unpriced("ALL")), h.other()), DENIED),
                new PolicyCase(MANAGER, "own market's", REPRICE, h -> List.of(h.mine.productActive, h.market), rows(1)),
                new PolicyCase(MANAGER, "ALL product's, in this market", REPRICE, h -> List.of(h.w.productAll, h.market), rows(1)),
                new PolicyCase(MANAGER, "ALL product's, in the other market", REPRICE, h -> List.of(h.w.productAll, h.other()), rows(0)),
                new PolicyCase(MANAGER, "the other market's, in any market", "UPDATE product_prices SET price = 11.00 WHERE product_id = ?",
                        h -> List.of(h.theirs.productActive), rows(0)),
                new PolicyCase(MANAGER, "move ALL product's to the other market",
                        "UPDATE product_prices SET market = ? WHERE product_id = ? AND market = ?",
                        h -> List.of(h.other(), h.w.productAll, h.market), DENIED),
                new PolicyCase(MANAGER, "ALL product's, in this market", UNPRICE, h -> List.of(h.w.productAll, h.market), rows(1)),
                new PolicyCase(MANAGER, "ALL product's, in the other market", UNPRICE, h -> List.of(h.w.productAll, h.other()), rows(0)),
                new PolicyCase(MANAGER, "the other market's, in any market", "DELETE FROM product_prices WHERE product_id = ?",
                        h -> List.of(h.theirs.productActive), rows(0))));
        return List.copyOf(k);
    }

    /** A product of {@code market} with no price yet, written by the owner. */
    private static long unpriced(String market) throws SQLException {
        return Fixtures.product(market, Fixtures.unique("unpriced"), null, 1, Map.of());
    }

    @Override
    List<PolicyCase> cases() {
        return CASES;
    }

    @Override
    List<String> tables() {
        return List.of("categories", "products", "product_prices", "banners");
    }
}
