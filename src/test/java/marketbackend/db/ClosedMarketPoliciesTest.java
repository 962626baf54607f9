package marketbackend.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import marketbackend.db.PolicyCase.Who;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static marketbackend.db.PolicyCase.CUSTOMER_A;
import static marketbackend.db.PolicyCase.DENIED;
import static marketbackend.db.PolicyCase.GUEST_A;
import static marketbackend.db.PolicyCase.MANAGER;
import static marketbackend.db.PolicyCase.RETURNS_MARKET;
import static marketbackend.db.PolicyCase.fails;
import static marketbackend.db.PolicyCase.none;
import static marketbackend.db.PolicyCase.refuses;
import static marketbackend.db.PolicyCase.returns;
import static marketbackend.db.PolicyCase.rows;
import static marketbackend.db.PolicyCase.see;

/**
 * What the database itself allows in a closed market (db-policies/R__05_markets.sql): each case's
 * market is closed while the other stays open. The market is closed inside one superuser
 * transaction that then takes the request's role and context and is rolled back: the shared
 * database never sees a closed market.
 */
class ClosedMarketPoliciesTest extends PolicyTable {
    /** SQLSTATE of app.require_open_market(): the server answers 409. */
    private static final PolicyCase.Expect CLOSED = fails("MC001");

    /** Customer A of the other market, which is open. */
    private static final Who OPEN_A = new Who("the open market's customer A", Rls.CUSTOMER,
            h -> Rls.customer(h.other(), h.theirs.customerA));
    /** A manager of the open market only. */
    private static final Who OPEN_MANAGER = new Who("the open market's manager", Rls.MANAGER,
            h -> Rls.manager(h.other(), h.theirs.manager));
    /** A manager of both markets, serving the open one. */
    private static final Who BOTH = new Who("manager of both markets", Rls.MANAGER, h -> Rls.manager(h.other(), h.w.managerBoth));
    /** A phone of the closed market that no user has yet. */
    private static final Who NEWCOMER = new Who("guest with a new phone", Rls.GUEST, h -> Rls.guest(h.market, newPhone(h, h.market)));
    /** The same, with a login code the owner wrote by hand (no code is issued for it). */
    private static final Who NEWCOMER_WITH_CODE = new Who("guest with a new phone and a code", Rls.GUEST,
            h -> Rls.guest(h.market, withCode(h, h.market)));
    /** A phone of the open market that no user has yet. */
    private static final Who OPEN_NEWCOMER = new Who("the open market's guest with a new phone", Rls.GUEST,
            h -> Rls.guest(h.other(), newPhone(h, h.other())));
    private static final Who OPEN_NEWCOMER_WITH_CODE = new Who("the open market's guest with a new phone and a code", Rls.GUEST,
            h -> Rls.guest(h.other(), withCode(h, h.other())));

    private static final String NEW_ADDRESS = "INSERT INTO addresses (user_id, line1, city, region, postal_code)"
            + " VALUES (?, 'l1', 'c', 'r', '720001')";
    private static final String NEW_CARD = "INSERT INTO payment_methods (user_id, token, brand, last4, exp_month, exp_year)"
            + " VALUES (?, 'tok_closed', 'visa', '4242', 12, 2099)";
    private static final String NEW_ORDER = "INSERT INTO orders (user_id, total_amount, address_id, payment_method_id)"
            + " VALUES (?, 1.00, ?, ?)";
    private static final String ADD_TO_CART = "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (?, ?, 1)";
    private static final String QUANTITY = "UPDATE cart_items SET quantity = 3 WHERE id = ?";
    private static final String MOVE_ADDRESS = "UPDATE addresses SET line1 = 'x' WHERE id = ?";
    private static final String RENEW_CARD = "UPDATE payment_methods SET exp_year = 2098 WHERE id = ?";
    private static final String ISSUE = "SELECT coalesce(code_market, '') FROM app.issue_login_code('h', NULL, 600, 0, 1000)";
    private static final String REDEEM = "SELECT outcome || ' ' || market FROM app.redeem_login_code('h', 5, 0)";
    private static final String MANAGES_ALL = "SELECT a::text FROM app.manages_all_markets() a";
    private static final String ALL_PRODUCT = "INSERT INTO products (market, name, stock) VALUES ('ALL', 'closed-market probe', 1)";

    static final List<PolicyCase> CASES = List.of(
            // ---------------------------------------------------------------- customers: buy nothing in a closed market
            new PolicyCase(CUSTOMER_A, "an address", NEW_ADDRESS, h -> List.of(h.mine.customerA), CLOSED),
            new PolicyCase(OPEN_A, "an address", NEW_ADDRESS, h -> List.of(h.theirs.customerA), rows(1)),
            new PolicyCase(CUSTOMER_A, "a card", NEW_CARD, h -> List.of(h.mine.customerA), CLOSED),
            new PolicyCase(OPEN_A, "a card", NEW_CARD, h -> List.of(h.theirs.customerA), rows(1)),
            new PolicyCase(CUSTOMER_A, "an order", NEW_ORDER, h -> List.of(h.mine.customerA, h.mine.addressA, h.mine.paymentA), CLOSED),
            new PolicyCase(OPEN_A, "an order", NEW_ORDER, h -> List.of(h.theirs.customerA, h.theirs.addressA, h.theirs.paymentA),
                    rows(1)),
            new PolicyCase(CUSTOMER_A, "an ALL product into own cart", ADD_TO_CART, h -> List.of(h.mine.cartA, h.w.productAll), CLOSED),
            new PolicyCase(OPEN_A, "an ALL product into own cart", ADD_TO_CART, h -> List.of(h.theirs.cartA, h.w.productAll), rows(1)),
            new PolicyCase(CUSTOMER_A, "own cart item's quantity", QUANTITY, h -> List.of(h.mine.cartItemA), CLOSED),
            new PolicyCase(OPEN_A, "own cart item's quantity", QUANTITY, h -> List.of(h.theirs.cartItemA), rows(1)),
            new PolicyCase(CUSTOMER_A, "own address", MOVE_ADDRESS, h -> List.of(h.mine.addressA), CLOSED),
            new PolicyCase(OPEN_A, "own address", MOVE_ADDRESS, h -> List.of(h.theirs.addressA), rows(1)),
            new PolicyCase(CUSTOMER_A, "own card", RENEW_CARD, h -> List.of(h.mine.paymentA), CLOSED),
            new PolicyCase(OPEN_A, "own card", RENEW_CARD, h -> List.of(h.theirs.paymentA), rows(1)),
            // ... but still read and remove what is theirs
            see(CUSTOMER_A, "orders", "own", h -> List.of(h.mine.orderA)),
            see(CUSTOMER_A, "notifications", "own", h -> List.of(h.mine.notificationA)),
            new PolicyCase(CUSTOMER_A, "own cart item", "DELETE FROM cart_items WHERE id = ?", h -> List.of(h.mine.cartItemA), rows(1)),

            // ---------------------------------------------------------------- guests: no sign-up, but customers get codes
            // no code for a new phone (the same answer as for a customer), and no sign-up with one made by hand
            new PolicyCase(NEWCOMER, "a code for the phone", ISSUE, none(), refuses("")),
            new PolicyCase(GUEST_A, "a code for a customer's phone", ISSUE, none(), RETURNS_MARKET),
            new PolicyCase(OPEN_NEWCOMER, "a code for the phone", ISSUE, none(), returns("<other>")),
            new PolicyCase(NEWCOMER_WITH_CODE, "sign up with the code", REDEEM, none(), fails("23514")),
            new PolicyCase(OPEN_NEWCOMER_WITH_CODE, "sign up with the code", REDEEM, none(), returns("ok <other>")),
            // a code issued in the open market signs up, in the same request
            new PolicyCase(OPEN_NEWCOMER, "sign up with the code just issued", REDEEM, h -> {
                Sql.strings(h.c, ISSUE);
                return List.of();
            }, returns("ok <other>")),

            // ---------------------------------------------------------------- managers: closing widens no one's rights
            // ALL rows still need a manager of every market
            new PolicyCase(OPEN_MANAGER, "whether they manage every market", MANAGES_ALL, none(),
                    refuses("false")),
            new PolicyCase(BOTH, "whether they manage every market", MANAGES_ALL, none(),
                    returns("true")),
            new PolicyCase(OPEN_MANAGER, "an ALL product", ALL_PRODUCT, none(), DENIED),
            new PolicyCase(BOTH, "an ALL product", ALL_PRODUCT, none(), rows(1)),
            // and the closed market's managers still read its orders
            see(MANAGER, "orders", "A's", h -> List.of(h.mine.orderA)));

    /** What closing a market changes: writes of the rows it sells, sign-up, and ALL catalog rows. */
    private static final Set<String> CLOSURE = Set.of(
            "market_customer INSERT addresses", "market_customer UPDATE addresses",
            "market_customer INSERT payment_methods", "market_customer UPDATE payment_methods",
            "market_customer INSERT orders", "market_customer INSERT cart_items", "market_customer UPDATE cart_items",
            "market_guest SELECT app.issue_login_code", "market_guest SELECT app.redeem_login_code",
            "market_manager SELECT app.manages_all_markets", "market_manager INSERT products");

    private static String newPhone(PolicyCase.Here h, String market) throws SQLException {
        return h.fresh("phone", () -> World.freshPhone(market));
    }

    /** A new phone of {@code market} with a login code written by the owner. */
    private static String withCode(PolicyCase.Here h, String market) throws SQLException {
        String phone = newPhone(h, market);
        try (Connection owner = TestDatabase.get().owner()) {
            Sql.update(owner, "INSERT INTO verification_codes (phone, code_hash, expires_at) "
                    + "VALUES (?, 'h', now() + interval '5 minutes')", phone);
        }
        return phone;
    }

    /** The case's market closed for this transaction only, then the request's role and context. */
    @Override
    PolicyCase.Request request() {
        return (closed, ctx, work) -> {
            try (Connection c = TestDatabase.get().superuser()) {
                c.setAutoCommit(false);
                try {
                    Sql.update(c, "UPDATE markets SET is_active = false WHERE code = ?", closed);
                    // the login role the context is signed for: the pool's, as app.verify_context() checks
                    Sql.update(c, "SET LOCAL SESSION AUTHORIZATION market_app");
                    Rls.begin(c, ctx);
                    work.run(c);
                } finally {
                    c.rollback();
                }
            }
        };
    }

    @Override
    List<PolicyCase> cases() {
        return CASES;
    }

    @Override
    List<String> tables() {
        return List.of("addresses", "payment_methods", "orders", "cart_items", "products",
                "app.issue_login_code", "app.redeem_login_code", "app.manages_all_markets");
    }

    @Override
    boolean covers(String table, String role, String command) {
        return CLOSURE.contains(role + " " + command + " " + table);
    }
}
