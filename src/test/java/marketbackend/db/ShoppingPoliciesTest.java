package marketbackend.db;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import marketbackend.db.PolicyCase.Who;
import marketbackend.support.Fixtures;

import static marketbackend.db.PolicyCase.CUSTOMER_A;
import static marketbackend.db.PolicyCase.DENIED;
import static marketbackend.db.PolicyCase.RETURNS_MARKET;
import static marketbackend.db.PolicyCase.hide;
import static marketbackend.db.PolicyCase.rows;
import static marketbackend.db.PolicyCase.see;

/**
 * carts, cart_items, wishlists, wishlist_items (customers only): own rows in own market, items
 * only of visible products. Items have no market column; they inherit it through their cart.
 */
class ShoppingPoliciesTest extends PolicyTable {
    /** A customer with no cart or wishlist yet (customer A has both). */
    private static final Who NEWCOMER = new Who("new customer", Rls.CUSTOMER, h -> Rls.customer(h.market, me(h)));
    private static final String QUANTITY = "UPDATE cart_items SET quantity = 3 WHERE id = ?";

    /** A cart or a wishlist and its items: the same policy shape. */
    enum Basket {
        CARTS("carts", "cart_items", "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (?, ?, 1)",
                s -> s.cartA, s -> s.cartB, s -> s.cartItemA, s -> s.cartItemB),
        WISHLISTS("wishlists", "wishlist_items", "INSERT INTO wishlist_items (wishlist_id, product_id) VALUES (?, ?)",
                s -> s.wishlistA, s -> s.wishlistB, s -> s.wishlistItemA, s -> s.wishlistItemB);

        final String table;
        final String items;
        final String addItem;
        final ToLongFunction<World.Side> a;
        final ToLongFunction<World.Side> b;
        final ToLongFunction<World.Side> itemA;
        final ToLongFunction<World.Side> itemB;

        Basket(String table, String items, String addItem, ToLongFunction<World.Side> a, ToLongFunction<World.Side> b,
               ToLongFunction<World.Side> itemA, ToLongFunction<World.Side> itemB) {
            this.table = table;
            this.items = items;
            this.addItem = addItem;
            this.a = a;
            this.b = b;
            this.itemA = itemA;
            this.itemB = itemB;
        }
    }

    static final List<PolicyCase> CASES = table();

    private static List<PolicyCase> table() {
        List<PolicyCase> k = new ArrayList<>();
        for (Basket t : Basket.values()) {
            String create = "INSERT INTO " + t.table + " (user_id, market) VALUES (?, ?) RETURNING market";
            String delete = "DELETE FROM " + t.table + " WHERE id = ?";
            String remove = "DELETE FROM " + t.items + " WHERE id = ?";
            k.addAll(List.of(
                    // ---------------------------------------------------------------- carts, wishlists
                    see(CUSTOMER_A, t.table, "own", h -> List.of(t.a.applyAsLong(h.mine))),
                    hide(CUSTOMER_A, t.table, "B's", h -> List.of(t.b.applyAsLong(h.mine))),
                    hide(CUSTOMER_A, t.table, "the other market's A's", h -> List.of(t.a.applyAsLong(h.theirs))),
                    // the market is copied from the user, whatever the caller sends
                    new PolicyCase(NEWCOMER, "own, naming the other market", create, h -> List.of(me(h), h.other()), RETURNS_MARKET),
                    new PolicyCase(NEWCOMER, "a neighbour's", create,
                            h -> List.of(h.fresh("neighbour", () -> Fixtures.user(h.market)), h.market), DENIED),
                    new PolicyCase(NEWCOMER, "a customer's of the other market", create,
                            h -> List.of(h.fresh("foreigner", () -> Fixtures.user(h.other())), h.other()), DENIED),
                    new PolicyCase(CUSTOMER_A, "own", delete, h -> List.of(t.a.applyAsLong(h.mine)), rows(1)),
                    new PolicyCase(CUSTOMER_A, "B's", delete, h -> List.of(t.b.applyAsLong(h.mine)), rows(0)),
                    new PolicyCase(CUSTOMER_A, "the other market's A's", delete, h -> List.of(t.a.applyAsLong(h.theirs)), rows(0)),

                    // ---------------------------------------------------------------- cart_items, wishlist_items
                    see(CUSTOMER_A, t.items, "own", h -> List.of(t.itemA.applyAsLong(h.mine))),
                    hide(CUSTOMER_A, t.items, "B's", h -> List.of(t.itemB.applyAsLong(h.mine))),
                    hide(CUSTOMER_A, t.items, "the other market's A's", h -> List.of(t.itemA.applyAsLong(h.theirs))),
                    new PolicyCase(CUSTOMER_A, "an ALL product into own", t.addItem,
                            h -> List.of(t.a.applyAsLong(h.mine), h.w.productAll), rows(1)),
                    new PolicyCase(CUSTOMER_A, "into B's", t.addItem,
                            h -> List.of(t.b.applyAsLong(h.mine), h.mine.productActive), DENIED),
                    new PolicyCase(CUSTOMER_A, "into the other market's A's", t.addItem,
                            h -> List.of(t.a.applyAsLong(h.theirs), h.mine.productActive), DENIED),
                    // products this request cannot see: the other market's, and unpublished ones
                    new PolicyCase(CUSTOMER_A, "the other market's product into own", t.addItem,
                            h -> List.of(t.a.applyAsLong(h.mine), h.theirs.productActive), DENIED),
                    new PolicyCase(CUSTOMER_A, "an unpublished product into own", t.addItem,
                            h -> List.of(t.a.applyAsLong(h.mine), h.mine.productInactive), DENIED),
                    new PolicyCase(CUSTOMER_A, "own", remove, h -> List.of(t.itemA.applyAsLong(h.mine)), rows(1)),
                    new PolicyCase(CUSTOMER_A, "B's", remove, h -> List.of(t.itemB.applyAsLong(h.mine)), rows(0)),
                    new PolicyCase(CUSTOMER_A, "the other market's A's", remove, h -> List.of(t.itemA.applyAsLong(h.theirs)), rows(0))));
        }
        k.addAll(List.of(
                new PolicyCase(CUSTOMER_A, "own", QUANTITY, h -> List.of(h.mine.cartItemA), rows(1)),
                new PolicyCase(CUSTOMER_A, "B's", QUANTITY, h -> List.of(h.mine.cartItemB), rows(0)),
                new PolicyCase(CUSTOMER_A, "the other market's A's", QUANTITY, h -> List.of(h.theirs.cartItemA), rows(0)),
                // an item cannot be moved to another cart or product
                new PolicyCase(CUSTOMER_A, "own, into B's cart", "UPDATE cart_items SET cart_id = ? WHERE id = ?",
                        h -> List.of(h.mine.cartB, h.mine.cartItemA), DENIED),
                new PolicyCase(CUSTOMER_A, "own, to another product", "UPDATE cart_items SET product_id = ? WHERE id = ?",
                        h -> List.of(h.w.productAll, h.mine.cartItemA), DENIED)));
        return List.copyOf(k);
    }

    private static long me(PolicyCase.Here h) throws SQLException {
        return h.fresh("me", () -> Fixtures.user(h.market));
    }

    @Override
    List<PolicyCase> cases() {
        return CASES;
    }

    @Override
    List<String> tables() {
        return List.of("carts", "cart_items", "wishlists", "wishlist_items");
    }
}
