package marketbackend.reliability;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import marketbackend.support.Api;
import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestApp;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * Many concurrent clients of both markets through the HTTP API at once: guests, three customers per
 * market, a KG-only, a US-only and an admin manager, mixing reads and writes and requests that fail
 * half-way through their transaction (checkouts that run out of stock, invalid status moves, bad
 * bodies, other markets' rows). Afterwards:
 * <ul>
 *   <li>no answer carried a row of another market, and every row id a customer was shown is, in the
 *       database, that customer's own;</li>
 *   <li>every answer had an expected status (never 5xx, never a hang);</li>
 *   <li>the database, read as the owner, holds no row in the wrong market, lost no committed order,
 *       and sold no unit it did not have.</li>
 * </ul>
 * Run against one server ({@link IsolationSoakTest}) or several behind one client that alternates
 * between them ({@link TwoServersThroughPgBouncerTest}): tokens are signed with the test database's
 * JWT secret, which every server of the run shares.
 */
final class Soak {
    private static final int ROUNDS = 30;
    private static final List<String> MARKETS = List.of("KG", "US");

    private final HttpJson http;

    Soak(HttpJson http) {
        this.http = http;
    }

    // ------------------------------------------------------------------ the world

    record Customer(long id, String market, String token, long address, long card) {
    }

    record Manager(String name, long id, List<String> markets, String token) {
    }

    /** What the clients report: every violation as a sentence, every row shown to a customer, every order made. */
    private final Queue violations = new Queue();
    private final Map<Long, Long> orderOwner = new ConcurrentHashMap<>();
    private final Map<Long, String> orderMarket = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<long[]> shownAddresses = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<long[]> shownNotifications = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<long[]> shownOrders = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Object[]> managerShownOrders = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();

    private static final class Queue extends ConcurrentLinkedQueue<String> {
    }

    /** Products of each market: plenty of stock, scarce (raced for), and one ALL product priced in both. */
    private final Map<String, long[]> plenty = new ConcurrentHashMap<>();
    private final Map<String, long[]> scarce = new ConcurrentHashMap<>();
    private long allProduct;

    /** Runs every client to the end, then checks the answers and the database. */
    void run() throws Exception {
        List<Customer> customers = new ArrayList<>();
        List<Manager> managers = new ArrayList<>();
        Map<Long, Integer> initialStock = new ConcurrentHashMap<>();
        try (Connection owner = TestDatabase.get().owner()) {
            for (String m : MARKETS) {
                String price = m.equals("KG") ? "500.00" : "5.00";
                long[] p = {Shop.product(owner, m, Fixtures.unique("soak plenty " + m), 10_000, m, price),
                        Shop.product(owner, m, Fixtures.unique("soak plenty " + m), 10_000, m, price)};
                long[] s = {Shop.product(owner, m, Fixtures.unique("soak scarce " + m), 4, m, price),
                        Shop.product(owner, m, Fixtures.unique("soak scarce " + m), 3, m, price)};
                plenty.put(m, p);
                scarce.put(m, s);
                for (int i = 0; i < 3; i++) {
                    long id = Fixtures.user(m);
                    customers.add(new Customer(id, m, Api.token(id, m),
                            Shop.address(owner, id, m), Shop.card(owner, id)));
                }
            }
            allProduct = Shop.product(owner, "ALL", Fixtures.unique("soak all"), 10_000, "KG", "900.00", "US", "9.00");
            for (long[] ids : List.of(plenty.get("KG"), plenty.get("US"), scarce.get("KG"), scarce.get("US"), new long[]{allProduct})) {
                for (long id : ids) {
                    initialStock.put(id, (int) Sql.count(owner, "SELECT stock FROM products WHERE id = ?", id));
                }
            }
        }
        managers.add(manager("KG-only", "KG", "manager", "KG"));
        managers.add(manager("US-only", "US", "manager", "US"));
        managers.add(manager("admin", "KG", "admin", "KG", "US"));

        List<Runnable> clients = new ArrayList<>();
        for (String m : MARKETS) {
            clients.add(() -> guest(m, new Random(m.hashCode())));
        }
        clients.add(() -> guest(null, new Random(7)));
        for (Customer c : customers) {
            clients.add(() -> customer(c, customers, new Random(c.id())));
        }
        for (Manager mgr : managers) {
            clients.add(() -> manager(mgr, new Random(mgr.id())));
        }
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        try {
            List<Future<?>> running = clients.stream().<Future<?>>map(pool::submit).toList();
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("soak: %d clients, %d ms, outcomes %s%n", clients.size(),
                (System.nanoTime() - started) / 1_000_000, outcomes);

        assertThat("violations:\n" + String.join("\n", violations), violations, is(empty()));
        // the soak must really have exercised what it claims to
        for (String outcome : List.of("checkout 201", "checkout 409", "move 200", "move 409", "move 404",
                "manager product 201", "manager product 403", "cart foreign 404", "order foreign 404")) {
            assertThat(outcome + " happened: " + outcomes, outcomes.getOrDefault(outcome, new AtomicInteger()).get(),
                    greaterThan(0));
        }
        try (Connection owner = TestDatabase.get().owner()) {
            databaseHoldsNoRowInTheWrongMarket(owner, customers, managers);
            customersWereShownOnlyTheirOwnRows(owner);
            noCommittedOrderLostAndNoUnitOversold(owner, initialStock);
        }
    }

    private Manager manager(String name, String home, String role, String... markets) throws Exception {
        long id = Fixtures.manager(home, role, markets);
        return new Manager(name, id, List.of(markets), Api.managerToken(id, home));
    }

    // ------------------------------------------------------------------ clients

    private void guest(String market, Random random) {
        String served = market == null ? "KG" : market;
        for (int i = 0; i < ROUNDS; i++) {
            String path = switch (random.nextInt(5)) {
                case 0 -> "/api/products?size=20";
                case 1 -> "/api/products/" + pick(random, plenty.get(other(served)));
                case 2 -> "/api/categories";
                case 3 -> "/api/banners";
                default -> "/api/products/" + (random.nextBoolean() ? allProduct : pick(random, plenty.get(served)));
            };
            String what = "guest " + served + " " + path;
            HttpJson.Res r = expect(what, http.get(path, null, market), 200, 404);
            if (path.matches("/api/products/\\d+") && r.status() == 200
                    && !r.json().get("market").asText().matches(served + "|ALL")) {
                violations.add(what + ": another market's product " + r.body());
            }
            long[] foreign = plenty.get(other(served));
            if (path.equals("/api/products/" + foreign[0]) || path.equals("/api/products/" + foreign[1])) {
                if (r.status() != 404) {
                    violations.add(what + ": another market's product answered " + r);
                }
            }
            catalogOnly(what, r, served);
        }
    }

    private void customer(Customer c, List<Customer> all, Random random) {
        String m = c.market();
        for (int i = 0; i < ROUNDS; i++) {
            switch (random.nextInt(10)) {
                case 0 -> catalogOnly("customer catalog", expect("customer catalog",
                        http.get("/api/products?size=50", c.token(), null), 200), m);
                case 1, 2 -> {
                    long product = random.nextInt(3) == 0 ? allProduct : pick(random, plenty.get(m));
                    own(c, "cart add", expect("cart add", post(c, "/api/cart/items",
                            Map.of("product_id", product, "quantity", 1 + random.nextInt(2))), 200, 201));
                }
                case 3 -> {
                    // raced for: refused when others took the stock first
                    own(c, "cart add scarce", expect("cart add scarce", post(c, "/api/cart/items",
                            Map.of("product_id", pick(random, scarce.get(m)), "quantity", 1)), 200, 201, 409));
                    HttpJson.Res foreign = expect("cart add foreign", post(c, "/api/cart/items",
                            Map.of("product_id", pick(random, plenty.get(other(m))), "quantity", 1)), 404);
                    count("cart foreign " + foreign.status());
                }
                case 4, 5 -> checkout(c);
                case 6 -> {
                    Map<String, Object> address = m.equals("KG")
                            ? Map.of("line1", "ул. Токтогула, " + i, "city", "Бишкек", "region", "KG-GB", "postal_code", "720040")
                            : Map.of("line1", i + " Main St", "city", "Austin", "region", "tx", "postal_code", "73301");
                    own(c, "address add", expect("address add", post(c, "/api/addresses", address), 201));
                    expect("address invalid", post(c, "/api/addresses", Map.of("line1", "x", "city", "y",
                            "region", m.equals("KG") ? "TX" : "Chuy", "postal_code", "1")), 422);
                    HttpJson.Res list = own(c, "addresses", expect("addresses", http.get("/api/addresses?size=100", c.token(), null), 200));
                    list.json().get("items").forEach(a -> shownAddresses.add(new long[]{a.get("id").asLong(), c.id()}));
                }
                case 7 -> {
                    HttpJson.Res orders = own(c, "orders", expect("orders", http.get("/api/orders?size=100", c.token(), null), 200));
                    orders.json().get("items").forEach(o -> shownOrders.add(new long[]{o.get("id").asLong(), c.id()}));
                    HttpJson.Res notes = own(c, "notifications", expect("notifications",
                            http.get("/api/notifications?size=100", c.token(), null), 200));
                    notes.json().get("items").forEach(n -> shownNotifications.add(new long[]{n.get("id").asLong(), c.id()}));
                }
                case 8 -> {
                    // someone else's order, of either market: exactly like a missing one
                    orderOwner.entrySet().stream().filter(e -> e.getValue() != c.id()).findAny().ifPresent(e -> {
                        HttpJson.Res r = expect("order foreign", http.get("/api/orders/" + e.getKey(), c.token(), null), 404);
                        count("order foreign " + r.status());
                    });
                    orderOwner.entrySet().stream().filter(e -> e.getValue() == c.id()).findAny().ifPresent(e ->
                            own(c, "order own", expect("order own", http.get("/api/orders/" + e.getKey(), c.token(), null), 200)));
                }
                default -> {
                    expect("bad body", http.call("POST", "/api/cart/items", c.token(), null, "{\"product_id\":", Map.of()), 400);
                    expect("smuggled market", post(c, "/api/cart/items",
                            Map.of("product_id", pick(random, plenty.get(m)), "quantity", 1, "market", other(m))), 422);
                    expect("other X-Market", http.get("/api/me", c.token(), other(m)), 403);
                    HttpJson.Res me = own(c, "me", expect("me", http.get("/api/me", c.token(), m), 200));
                    if (me.json().get("id").asLong() != c.id()) {
                        violations.add("me of " + c.id() + " answered " + me.body());
                    }
                }
            }
        }
    }

    private void checkout(Customer c) {
        HttpJson.Res r = expect("checkout", http.call("POST", "/api/orders", c.token(), null,
                Map.of("address_id", c.address(), "payment_method_id", c.card()),
                Map.of("Idempotency-Key", UUID.randomUUID().toString())), 201, 409);
        count("checkout " + r.status());
        if (r.status() == 201) {
            own(c, "checkout", r);
            orderOwner.put(r.json().get("id").asLong(), c.id());
            orderMarket.put(r.json().get("id").asLong(), c.market());
        } else {
            // out of stock half-way through (or an empty cart): empty the cart and go on
            HttpJson.Res cart = expect("cart", http.get("/api/cart", c.token(), null), 200);
            own(c, "cart", cart);
            cart.json().get("items").forEach(item -> expect("cart remove",
                    http.call("DELETE", "/api/cart/items/" + item.get("id").asLong(), c.token(), null, null, Map.of()), 204));
        }
    }

    private void manager(Manager mgr, Random random) {
        for (int i = 0; i < ROUNDS; i++) {
            String market = mgr.markets().get(random.nextInt(mgr.markets().size()));
            String unmanaged = MARKETS.stream().filter(m -> !mgr.markets().contains(m)).findFirst().orElse(null);
            switch (random.nextInt(5)) {
                case 0 -> {
                    HttpJson.Res r = expect(mgr.name() + " orders", http.get("/api/manager/orders?size=50", mgr.token(), market), 200);
                    servedIn(mgr, market, r);
                    r.json().get("items").forEach(o -> managerShownOrders.add(new Object[]{o.get("id").asLong(),
                            o.get("user_id").asLong(), market}));
                }
                case 1, 2 -> {
                    // an order of any market, moved to any status: allowed, refused as a move, or not there at all
                    List<Long> ids = new ArrayList<>(orderOwner.keySet());
                    if (ids.isEmpty()) {
                        continue;
                    }
                    long id = ids.get(random.nextInt(ids.size()));
                    String orderIn = orderMarket.get(id);
                    String status = List.of("confirmed", "shipped", "delivered", "cancelled", "pending").get(random.nextInt(5));
                    if (orderIn.equals(market) && random.nextInt(3) > 0) {
                        // mostly a move the order allows right now (another manager may still get there first)
                        HttpJson.Res detail = expect(mgr.name() + " order", http.get("/api/manager/orders/" + id, mgr.token(), market), 200);
                        servedIn(mgr, market, detail);
                        JsonNode next = detail.json() == null ? null : detail.json().get("next_statuses");
                        if (next != null && !next.isEmpty()) {
                            status = next.get(random.nextInt(next.size())).asText();
                        }
                    }
                    HttpJson.Res r = http.call("PATCH", "/api/manager/orders/" + id, mgr.token(), market,
                            Map.of("status", status), Map.of());
                    if (orderIn.equals(market)) {
                        expect(mgr.name() + " move", r, 200, 409);
                    } else {
                        expect(mgr.name() + " move foreign", r, 404);
                    }
                    count("move " + r.status());
                    if (r.status() == 200) {
                        servedIn(mgr, market, r);
                    }
                }
                case 3 -> {
                    HttpJson.Res r = expect(mgr.name() + " product", http.call("POST", "/api/manager/products", mgr.token(),
                            market, Map.of("name", Fixtures.unique("soak new"), "market", market, "price", "12.50",
                                    "stock", 5), Map.of()), 201);
                    count("manager product " + r.status());
                    servedIn(mgr, market, r);
                    // a product for another market, or for ALL without managing every market: refused
                    String target = unmanaged != null ? (random.nextBoolean() ? unmanaged : "ALL") : other(market);
                    HttpJson.Res refused = expect(mgr.name() + " product elsewhere", http.call("POST", "/api/manager/products",
                            mgr.token(), market, Map.of("name", "x", "market", target, "price", "1.00"), Map.of()), 403);
                    count("manager product " + refused.status());
                }
                default -> {
                    if (unmanaged != null) {
                        expect(mgr.name() + " unmanaged market", http.get("/api/manager/orders", mgr.token(), unmanaged), 403);
                    }
                    expect(mgr.name() + " bad body", http.call("POST", "/api/manager/products", mgr.token(), market,
                            "{\"name\":\"x\",\"market\":\"" + market + "\",\"price\":\"1.00\",\"id\":1}", Map.of()), 422);
                    expect(mgr.name() + " bad move", http.call("PATCH", "/api/manager/orders/1", mgr.token(), market,
                            "{\"status\":\"refunded\"}", Map.of()), 422);
                }
            }
        }
    }

    // ------------------------------------------------------------------ checks on each answer

    private HttpJson.Res post(Customer c, String path, Object body) {
        return http.call("POST", path, c.token(), null, body, Map.of());
    }

    /** Records a violation unless the status is one of {@code allowed}; a problem answer must be problem+json. */
    private HttpJson.Res expect(String what, HttpJson.Res r, int... allowed) {
        boolean ok = false;
        for (int s : allowed) {
            ok |= r.status() == s;
        }
        if (!ok) {
            violations.add(what + ": unexpected " + r);
        } else if (r.status() >= 400) {
            try {
                Checks.problem(r.status(), r.header("Content-Type"), r.body(), what);
            } catch (AssertionError e) {
                violations.add(e.getMessage());
            }
        }
        if (r.millis() > HttpJson.DEADLINE.toMillis()) {
            violations.add(what + ": took " + r.millis() + " ms");
        }
        return r;
    }

    /** A catalog answer: only this market's and ALL rows, served in this market. */
    private void catalogOnly(String what, HttpJson.Res r, String market) {
        if (r.status() != 200) {
            return;
        }
        if (!market.equals(r.header("X-Market"))) {
            violations.add(what + ": served in " + r.header("X-Market") + " instead of " + market);
        }
        for (JsonNode o : HttpJson.objects(r.json())) {
            if (o.has("market") && !o.get("market").asText().matches(market + "|ALL")) {
                violations.add(what + ": a row of " + o.get("market").asText() + " in " + market + ": " + o);
            }
        }
    }

    /** A customer's answer: served in their market, every row of their market (products may be ALL). */
    private HttpJson.Res own(Customer c, String what, HttpJson.Res r) {
        if (r.status() >= 300 || r.json() == null) {
            return r;
        }
        if (!c.market().equals(r.header("X-Market"))) {
            violations.add(what + " of customer " + c.id() + ": served in " + r.header("X-Market"));
        }
        for (JsonNode o : HttpJson.objects(r.json())) {
            if (o.has("market") && !o.get("market").asText().matches(c.market() + "|ALL")) {
                violations.add(what + " of customer " + c.id() + " (" + c.market() + "): a row of "
                        + o.get("market").asText() + ": " + o);
            }
        }
        JsonNode top = r.json();
        if (top.has("market") && !top.get("market").asText().equals(c.market())) {
            violations.add(what + " of customer " + c.id() + ": " + top);
        }
        return r;
    }

    /** A manager's answer: served in the market asked for, which they manage; every row of it. */
    private void servedIn(Manager mgr, String market, HttpJson.Res r) {
        if (!market.equals(r.header("X-Market")) || !mgr.markets().contains(market)) {
            violations.add(mgr.name() + ": served in " + r.header("X-Market") + ", asked " + market);
        }
        for (JsonNode o : HttpJson.objects(r.json())) {
            if (o.has("market") && !o.get("market").asText().matches(market + "|ALL")) {
                violations.add(mgr.name() + " in " + market + ": a row of " + o.get("market").asText() + ": " + o);
            }
        }
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
    }

    private static long pick(Random random, long[] ids) {
        return ids[random.nextInt(ids.length)];
    }

    private static String other(String market) {
        return market.equals("KG") ? "US" : "KG";
    }

    // ------------------------------------------------------------------ afterwards, as the owner

    private void databaseHoldsNoRowInTheWrongMarket(Connection owner, List<Customer> customers, List<Manager> managers)
            throws Exception {
        Long[] users = customers.stream().map(Customer::id).toArray(Long[]::new);
        var ids = owner.createArrayOf("bigint", users);
        for (String table : List.of("orders", "addresses", "payment_methods", "notifications", "carts", "wishlists")) {
            assertThat(table + " in another market than their user's", Sql.count(owner,
                    "SELECT count(*) FROM " + table + " t JOIN users u ON u.id = t.user_id"
                            + " WHERE t.user_id = ANY(?) AND t.market <> u.market", ids), is(0L));
        }
        assertThat("cart items of another market's product", Sql.count(owner, """
                SELECT count(*) FROM cart_items i JOIN carts c ON c.id = i.cart_id JOIN products p ON p.id = i.product_id
                WHERE c.user_id = ANY(?) AND p.market NOT IN (c.market, 'ALL')""", ids), is(0L));
        assertThat("order items of another market, or of another market's product", Sql.count(owner, """
                SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id LEFT JOIN products p ON p.id = i.product_id
                WHERE o.user_id = ANY(?) AND (i.market <> o.market OR p.market NOT IN (o.market, 'ALL'))""", ids), is(0L));
        assertThat("orders whose total is not the sum of their lines, or in another currency", Sql.count(owner, """
                SELECT count(*) FROM orders o JOIN markets m ON m.code = o.market
                WHERE o.user_id = ANY(?) AND (o.currency <> m.currency OR o.total_amount <>
                      (SELECT coalesce(sum(i.line_total), 0) FROM order_items i WHERE i.order_id = o.id))""", ids), is(0L));
        var mgrs = owner.createArrayOf("bigint", managers.stream().map(Manager::id).toArray(Long[]::new));
        assertThat("audit entries of the soak's managers", Sql.count(owner,
                "SELECT count(*) FROM audit_log WHERE manager_id = ANY(?)", mgrs), greaterThan(0L));
        assertThat("audit entries in a market the manager does not manage", Sql.count(owner, """
                SELECT count(*) FROM audit_log a WHERE a.manager_id = ANY(?) AND NOT EXISTS
                  (SELECT 1 FROM store_manager_markets s WHERE s.user_id = a.manager_id AND s.market = a.market)""", mgrs), is(0L));
        assertThat("products the soak's managers created outside the market they served", Sql.count(owner, """
                SELECT count(*) FROM audit_log a JOIN products p ON p.id = CAST(a.entity_id AS bigint)
                WHERE a.manager_id = ANY(?) AND a.entity = 'product' AND a.action = 'create' AND p.market <> a.market""",
                mgrs), is(0L));
        assertThat("order moves recorded in another market than the order's", Sql.count(owner, """
                SELECT count(*) FROM audit_log a JOIN orders o ON o.id = CAST(a.entity_id AS bigint)
                WHERE a.manager_id = ANY(?) AND a.entity = 'order' AND a.market <> o.market""", mgrs), is(0L));
        for (Object[] shown : managerShownOrders) {
            assertThat("order " + shown[0] + " shown in " + shown[2], Sql.count(owner,
                    "SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = ? AND o.user_id = ?"
                            + " AND o.market = ? AND u.market = ?", shown[0], shown[1], shown[2], shown[2]), is(1L));
        }
    }

    private void customersWereShownOnlyTheirOwnRows(Connection owner) throws Exception {
        for (var e : Map.of("orders", shownOrders, "addresses", shownAddresses, "notifications", shownNotifications).entrySet()) {
            assertThat("rows of " + e.getKey() + " shown", e.getValue().isEmpty(), is(false));
            for (long[] shown : e.getValue()) {
                assertThat(e.getKey() + " " + shown[0] + " shown to customer " + shown[1], Sql.count(owner,
                        "SELECT count(*) FROM " + e.getKey() + " WHERE id = ? AND user_id = ?", shown[0], shown[1]), is(1L));
            }
        }
    }

    private void noCommittedOrderLostAndNoUnitOversold(Connection owner, Map<Long, Integer> initialStock) throws Exception {
        for (var e : orderOwner.entrySet()) {
            assertThat("order " + e.getKey() + " answered 201 is in the database as its buyer's", Sql.count(owner,
                    "SELECT count(*) FROM orders WHERE id = ? AND user_id = ?", e.getKey(), e.getValue()), is(1L));
        }
        for (var e : initialStock.entrySet()) {
            long now = Sql.count(owner, "SELECT stock FROM products WHERE id = ?", e.getKey());
            long sold = Sql.count(owner, "SELECT coalesce(sum(quantity), 0) FROM order_items WHERE product_id = ?", e.getKey());
            assertThat("product " + e.getKey() + ": stock now + units sold = stock before", now + sold, is((long) e.getValue()));
        }
        Set<Long> unique = Set.copyOf(orderOwner.keySet());
        assertThat(unique.size(), is(orderOwner.size()));
    }
}
