package marketbackend.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import marketbackend.AppConfig;
import marketbackend.Server;
import marketbackend.db.Bootstrap;
import marketbackend.db.Databases;
import marketbackend.db.Db;
import marketbackend.db.Migrations;
import marketbackend.support.Sql;
import marketbackend.support.Tools;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The database goes away while the server runs: on a private PostgreSQL cluster of this test
 * (never the shared one), restarted and stopped under load. Meanwhile every answer is a 503
 * problem with {@code Retry-After} (or a success), never a 500 and never later than a bound;
 * afterwards the service is back by itself, no committed order is lost, and an order retried
 * with the same {@code Idempotency-Key} across the outage exists once.
 */
class DatabaseOutageTest {
    /** No answer may take longer than this, outage or not (the pool waits DB_POOL_TIMEOUT_MS). */
    private static final long BOUND_MS = 10_000;
    /** How long the service may take to come back once the database is up again. */
    private static final long RECOVERY_MS = 30_000;

    private static PrivateCluster pg;
    private static AppConfig cfg;
    private static Db db;
    private static WebServer server;
    private static HttpJson http;
    private static String token;
    private static String managerToken;
    private static long address;
    private static long card;
    private static long product;

    @BeforeAll
    static void start() throws Exception {
        Path bin = Tools.required(PrivateCluster.binaries(), "No PostgreSQL server binaries (initdb, pg_ctl) under"
                + " /usr/lib/postgresql/<version>/bin to start a private cluster for the outage test:"
                + " install Debian's postgresql");
        pg = PrivateCluster.create(bin);
        Map<String, String> env = new HashMap<>();
        env.put("DB_URL", pg.url("market"));
        env.put("DB_ADMIN_URL", pg.adminUrl());
        env.put("APP_ENV", "dev");
        env.put("JWT_SECRET", "outage-secret-0123456789-0123456789-abcdef");
        env.put("DB_POOL_SIZE", "4");
        env.put("DB_POOL_TIMEOUT_MS", "1500");
        // a hung database is given up on after 3 s (the driver counts seconds), statements end after 2 s
        env.put("DB_STATEMENT_TIMEOUT_MS", "2000");
        env.put("DB_SOCKET_TIMEOUT_MS", "3000");
        env.put("DB_CONNECT_TIMEOUT_MS", "2000");
        cfg = AppConfig.fromEnv(env);
        Bootstrap.run(cfg);
        Migrations.migrate(cfg);
        db = Databases.requestPool(cfg);
        Databases.requireSafeLoginRole(db);
        Server.App app = Server.App.create(cfg, db);
        server = Server.configure(WebServer.builder(), app).host("127.0.0.1").port(0).build().start();
        http = new HttpJson(server.port());
        try (Connection owner = owner()) {
            long user = Shop.user(owner, "+996700000001");
            address = Shop.address(owner, user, "KG");
            card = Shop.card(owner, user);
            product = Shop.product(owner, "KG", "outage product", 100_000, "KG", "10.00");
            token = app.sessions().open(user, "KG", false, null, "test-login").accessToken();
            long manager = Shop.user(owner, "+996700000002");
            Sql.update(owner, "INSERT INTO store_managers (user_id, role) VALUES (?, 'manager')", manager);
            Sql.update(owner, "INSERT INTO store_manager_markets (user_id, market) VALUES (?, 'KG')", manager);
            managerToken = app.sessions().open(manager, "KG", true, null, "test-login").accessToken();
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (db != null) {
            db.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static Connection owner() throws SQLException {
        return DriverManager.getConnection(cfg.db().url(), cfg.db().migrationUser(), cfg.db().migrationPassword());
    }

    @Test
    void restartUnderLoadAnswers503MeanwhileAndLosesNoOrder() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> placed = new ConcurrentLinkedQueue<>();
        Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            load.add(pool.submit(() -> {
                while (running.get()) {
                    check(http.get("/api/products?size=5", null, "KG"), violations, statuses, 200);
                }
            }));
        }
        load.add(pool.submit(() -> {
            while (running.get()) {
                check(http.call("POST", "/api/cart/items", token, null, Map.of("product_id", product, "quantity", 1),
                        Map.of()), violations, statuses, 200, 201);
                HttpJson.Res r = check(http.call("POST", "/api/orders", token, null,
                        Map.of("address_id", address, "payment_method_id", card),
                        Map.of("Idempotency-Key", UUID.randomUUID().toString())), violations, statuses, 201, 409);
                if (r.status() == 201) {
                    placed.add(r.json().get("id").asLong());
                }
            }
        }));
        awaitOrders(placed, 3);
        int before = placed.size();
        pg.restart();
        long back = waitForService();
        awaitOrders(placed, before + 3);
        running.set(false);
        for (Future<?> f : load) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        System.out.printf("restart under load: answers %s, service back after %d ms%n", statuses, back);
        assertThat("answers during the restart:\n" + String.join("\n", violations), violations, is(empty()));
        assertThat("orders placed before the restart", before, greaterThan(0));
        assertThat("orders placed after it: service is back " + statuses, placed.size(), greaterThan(before));
        assertThat("back within " + RECOVERY_MS + " ms", back, lessThan(RECOVERY_MS));
        try (Connection owner = owner()) {
            for (long id : placed) {
                assertThat("order " + id + " answered 201 is committed", Sql.count(owner,
                        "SELECT count(*) FROM orders WHERE id = ?", id), is(1L));
            }
        }
    }

    @Test
    void stoppedDatabaseIs503AndAnOrderRetriedAcrossTheOutageIsCreatedOnce() throws Exception {
        String key = "outage-" + UUID.randomUUID();
        Map<String, Object> order = Map.of("address_id", address, "payment_method_id", card);
        HttpJson.Res added = http.call("POST", "/api/cart/items", token, null, Map.of("product_id", product, "quantity", 2), Map.of());
        assertThat(added.toString(), added.status() == 200 || added.status() == 201, is(true));

        assertThat(http.get("/api/manager/orders", managerToken, "KG").status(), is(200));
        List<String> accessLog = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Logger access = java.util.logging.Logger.getLogger("marketbackend.access");
        java.util.logging.Level level = access.getLevel();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                accessLog.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        pg.stop("immediate");
        access.setLevel(java.util.logging.Level.INFO);
        access.addHandler(capture);
        try {
            unavailable(http.get("/api/products", null, "KG"), "catalog");
            unavailable(http.get("/api/me", token, null), "customer");
            unavailable(http.call("POST", "/api/orders", token, null, order, Map.of("Idempotency-Key", key)), "checkout");
            // the manager's markets are read before the request's market is decided, in the filter
            unavailable(http.get("/api/manager/orders", managerToken, "KG"), "manager");
            // the access log tells the truth about the outage: 503, not the 200 a filter had not yet replaced
            // (each line is written just after its answer went out: wait for the four, within the bound)
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
            while (accessLog.size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            synchronized (accessLog) {
                List<String> api = accessLog.stream().filter(l -> l.contains(" /api/")).toList();
                assertThat(api.toString(), api.size(), is(4));
                for (String line : api) {
                    assertThat(line, line.contains(" 503 "), is(true));
                }
            }
            HttpJson.Res health = http.get("/observe/health", null, null);
            assertThat("health while the database is down: " + health, health.status(), is(503));
            assertThat(health.millis(), lessThan(BOUND_MS));
            // refused before the database is needed: still the right answer
            HttpJson.Res bad = http.get("/api/products?size=0", null, null);
            assertThat(bad.toString(), bad.status(), is(400));
        } finally {
            access.removeHandler(capture);
            access.setLevel(level);
            pg.start();
        }
        waitForService();

        HttpJson.Res created = http.call("POST", "/api/orders", token, null, order, Map.of("Idempotency-Key", key));
        assertThat(created.toString(), created.status(), is(201));
        HttpJson.Res replayed = http.call("POST", "/api/orders", token, null, order, Map.of("Idempotency-Key", key));
        assertThat(replayed.toString(), replayed.status(), is(200));
        assertThat(replayed.json().get("id"), is(created.json().get("id")));
        try (Connection owner = owner()) {
            assertThat(Sql.count(owner, "SELECT count(*) FROM orders WHERE idempotency_key = ?", key), is(1L));
        }
    }

    @Test
    void hungDatabaseIs503WithinTheSocketTimeoutNotAHang() throws Exception {
        assertThat(http.get("/api/products?size=1", null, "KG").status(), is(200));
        pg.freeze();
        try {
            // the pooled connections hang mid-query: DB_SOCKET_TIMEOUT_MS ends the wait, not the client
            for (int i = 0; i < 2; i++) {
                unavailable(http.get("/api/products?size=1", null, "KG"), "catalog while the database hangs");
            }
        } finally {
            pg.thaw();
        }
        assertThat(waitForService(), lessThan(RECOVERY_MS));
    }

    /** A 503 problem with Retry-After, within the bound, telling nothing about the database. */
    private static void unavailable(HttpJson.Res r, String what) {
        assertThat(what + ": " + r, r.status(), is(503));
        assertThat(what + " answered in " + r.millis() + " ms", r.millis(), lessThan(BOUND_MS));
        Checks.problem(503, r.header("Content-Type"), r.body(), what);
        assertThat(what + ": Retry-After", r.header("Retry-After"), notNullValue());
    }

    private static HttpJson.Res check(HttpJson.Res r, ConcurrentLinkedQueue<String> violations,
                                      Map<Integer, Integer> statuses, int... ok) {
        statuses.merge(r.status(), 1, Integer::sum);
        boolean expected = r.status() == 503;
        for (int s : ok) {
            expected |= r.status() == s;
        }
        if (!expected) {
            violations.add("unexpected " + r);
        } else if (r.status() == 503) {
            try {
                Checks.problem(503, r.header("Content-Type"), r.body(), "503");
                if (r.header("Retry-After") == null) {
                    violations.add("503 without Retry-After: " + r);
                }
            } catch (AssertionError e) {
                violations.add(e.getMessage());
            }
        }
        if (r.millis() >= BOUND_MS) {
            violations.add("answered after " + r.millis() + " ms: " + r);
        }
        return r;
    }

    /** Waits (bounded) until the load has placed {@code count} orders. */
    private static void awaitOrders(ConcurrentLinkedQueue<Long> placed, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECOVERY_MS);
        while (placed.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Milliseconds until a catalog read succeeds again; fails after {@link #RECOVERY_MS}. */
    private static long waitForService() throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (http.get("/api/products?size=1", null, "KG").status() == 200) {
                return waited;
            }
            if (waited > RECOVERY_MS) {
                throw new AssertionError("the service did not come back within " + RECOVERY_MS + " ms");
            }
            Thread.sleep(200);
        }
    }
}
