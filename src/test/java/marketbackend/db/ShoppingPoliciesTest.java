package marketbackend.db;

import java.sql.SQLException;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
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
import static marketbackend.db.Rls.other;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * carts, cart_items, wishlists, wishlist_items (customers only): own rows in own market, items
 * only of visible products. Items have no market column; they inherit it through their cart.
 */
class ShoppingPoliciesTest {
    private final World w = World.get();

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

    static Stream<Arguments> basketsAndMarkets() {
        return Stream.of(Basket.values()).flatMap(t -> Stream.of(Arguments.of(t, "KG"), Arguments.of(t, "US")));
    }

    // ------------------------------------------------------------------ carts, wishlists

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("basketsAndMarkets")
    void customerSeesOwnBasketOnly(Basket t, String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertSees(c, t.table, t.a.applyAsLong(s));
            assertHidden(c, t.table, t.b.applyAsLong(s));
            assertHidden(c, t.table, t.a.applyAsLong(w.side(other(market))));
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("basketsAndMarkets")
    void customerCreatesOwnBasketOnly(Basket t, String market) throws SQLException {
        long me = Fixtures.user(market);
        long neighbour = Fixtures.user(market);
        long foreigner = Fixtures.user(other(market));
        String insert = "INSERT INTO " + t.table + " (user_id, market) VALUES (?, ?) RETURNING market";
        as(customer(market, me), c -> {
            // the market is copied from the user, whatever the caller sends
            assertEquals(market, Sql.strings(c, insert, me, other(market)).getFirst());
            assertDenied(c, insert, neighbour, market);
            assertDenied(c, insert, foreigner, other(market));
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("basketsAndMarkets")
    void customerDeletesOwnBasketOnly(Basket t, String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertTouches(1, c, "DELETE FROM " + t.table + " WHERE id = ?", t.a.applyAsLong(s));
            assertTouches(0, c, "DELETE FROM " + t.table + " WHERE id = ?", t.b.applyAsLong(s));
            assertTouches(0, c, "DELETE FROM " + t.table + " WHERE id = ?", t.a.applyAsLong(w.side(other(market))));
        });
    }

    // ------------------------------------------------------------------ cart_items, wishlist_items

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("basketsAndMarkets")
    void customerSeesItemsOfOwnBasketOnly(Basket t, String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertSees(c, t.items, t.itemA.applyAsLong(s));
            assertHidden(c, t.items, t.itemB.applyAsLong(s));
            assertHidden(c, t.items, t.itemA.applyAsLong(w.side(other(market))));
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("basketsAndMarkets")
    void customerPutsVisibleProductsIntoOwnBasketOnly(Basket t, String market) throws SQLException {
        var s = w.side(market);
        long mine = t.a.applyAsLong(s);
        as(customer(market, s.customerA), c -> {
            assertTouches(1, c, t.addItem, mine, w.productAll);
            assertDenied(c, t.addItem, t.b.applyAsLong(s), s.productActive);
            assertDenied(c, t.addItem, t.a.applyAsLong(w.side(other(market))), s.productActive);
            // products this request cannot see: the other market's, and unpublished ones
            assertDenied(c, t.addItem, mine, w.side(other(market)).productActive);
            assertDenied(c, t.addItem, mine, s.productInactive);
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("basketsAndMarkets")
    void customerRemovesItemsFromOwnBasketOnly(Basket t, String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertTouches(1, c, "DELETE FROM " + t.items + " WHERE id = ?", t.itemA.applyAsLong(s));
            assertTouches(0, c, "DELETE FROM " + t.items + " WHERE id = ?", t.itemB.applyAsLong(s));
            assertTouches(0, c, "DELETE FROM " + t.items + " WHERE id = ?", t.itemA.applyAsLong(w.side(other(market))));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void customerChangesQuantitiesInOwnCartOnly(String market) throws SQLException {
        var s = w.side(market);
        as(customer(market, s.customerA), c -> {
            assertTouches(1, c, "UPDATE cart_items SET quantity = 3 WHERE id = ?", s.cartItemA);
            assertTouches(0, c, "UPDATE cart_items SET quantity = 3 WHERE id = ?", s.cartItemB);
            assertTouches(0, c, "UPDATE cart_items SET quantity = 3 WHERE id = ?", w.side(other(market)).cartItemA);
            // an item cannot be moved to another cart or product
            assertDenied(c, "UPDATE cart_items SET cart_id = ? WHERE id = ?", s.cartB, s.cartItemA);
            assertDenied(c, "UPDATE cart_items SET product_id = ? WHERE id = ?", w.productAll, s.cartItemA);
        });
    }
}
