package marketbackend.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import marketbackend.AppConfig;
import marketbackend.Server;
import marketbackend.context.RequestContext;
import marketbackend.db.Bootstrap;
import marketbackend.db.Migrations;
import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.Tools;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A real streaming replica ({@code pg_basebackup -R} of a private primary, both started here): with
 * {@code DB_READ_URL} guests read the catalog from it, under the same roles, policies and verified
 * context, while customers and every write stay on the primary. Pausing the replica's replay makes
 * its lag visible: a product the shop just added is missing for guests until the replica catches up.
 */
class ReadReplicaTest {
    /** How long a resumed replica may take to show a committed row. */
    private static final long CATCH_UP_MS = 15_000;

    private static PrivateCluster primary;
    private static PrivateCluster replica;
    private static AppConfig cfg;
    private static Server.App app;
    private static WebServer server;
    private static HttpJson http;
    private static long kgProduct;
    private static long usProduct;
    private static long allProduct;
    private static long kgUser;
    private static String kgCustomer;

    @BeforeAll
    static void start() throws Exception {
        Path bin = Tools.required(PrivateCluster.binaries(), "No PostgreSQL server binaries (initdb, pg_ctl,"
                + " pg_basebackup) under /usr/lib/postgresql/<version>/bin to start a primary and its replica:"
                + " install Debian's postgresql");
        primary = PrivateCluster.create(bin);
        Map<String, String> env = new HashMap<>();
        env.put("DB_URL", primary.url("market"));
        env.put("DB_ADMIN_URL", primary.adminUrl());
        env.put("APP_ENV", "dev");
        env.put("JWT_SECRET", "replica-secret-0123456789-0123456789-abcdef");
        env.put("DB_POOL_SIZE", "3");
        AppConfig migrating = AppConfig.fromEnv(env);
        Bootstrap.run(migrating);
        Migrations.migrate(migrating);
        try (Connection owner = owner(migrating)) {
            kgProduct = Shop.product(owner, "KG", "replica kg", 10, "KG", "100.00");
            usProduct = Shop.product(owner, "US", "replica us", 10, "US", "1.00");
            allProduct = Shop.product(owner, "ALL", "replica all", 10, "KG", "200.00", "US", "2.00");
            kgUser = Shop.user(owner, Fixtures.phone("KG"));
        }
        replica = primary.standby();
        env.put("MIGRATE_ON_START", "false");
        env.put("DB_READ_URL", replica.url("market"));
        cfg = AppConfig.fromEnv(env);
        // as serve starts: the schema and the context key are checked on the primary and on the replica
        app = Server.App.open(cfg);
        kgCustomer = app.sessions().open(kgUser, "KG", false, null, "replica-test").accessToken();
        server = Server.configure(WebServer.builder(), app).host("127.0.0.1").port(0).build().start();
        http = new HttpJson(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (app != null) {
            app.close();
        }
        for (PrivateCluster pg : new PrivateCluster[]{replica, primary}) {
            if (pg != null) {
                pg.close();
            }
        }
    }

    @Test
    void guestsReadEachMarketsCatalogFromTheReplica() {
        for (String market : List.of("KG", "US")) {
            long own = market.equals("KG") ? kgProduct : usProduct;
            long foreign = market.equals("KG") ? usProduct : kgProduct;
            HttpJson.Res list = http.get("/api/products?size=100", null, market);
            assertThat(list.toString(), list.status(), is(200));
            List<Long> ids = list.json().get("items").findValues("id").stream().map(n -> n.asLong()).toList();
            assertThat(ids, containsInAnyOrder(own, allProduct));
            assertThat(http.get("/api/products/" + foreign, null, market).status(), is(404));
            assertThat(http.get("/api/categories", null, market).status(), is(200));
            assertThat(http.get("/api/banners", null, market).status(), is(200));
        }
        assertThat(http.get("/api/markets", null, null).status(), is(200));
    }

    @Test
    void onTheReplicaOnlyAVerifiedContextSeesRowsAndOnlyItsMarkets() throws Exception {
        try (Connection c = DriverManager.getConnection(replica.url("market"), cfg.db().user(), cfg.db().password())) {
            c.setAutoCommit(false);
            // market_app alone reaches no table: no rights on the schema, let alone the rows
            assertThat(Sql.sqlState(c, "SELECT count(*) FROM public.products"), is("42501"));
            c.rollback();
            String signed = cfg.contextKeys().signer(Clock.systemUTC())
                    .sign(RequestContext.guest("US", "replica-test"), "market_app", true);
            String forged = signed.replace("|US|", "|KG|");
            SQLException refused = assertThrows(SQLException.class, () -> Sql.enter(c, forged));
            assertThat(refused.getSQLState(), is("28000"));
            c.rollback();
            Sql.enter(c, signed);
            assertThat(Sql.strings(c, "SELECT name FROM products ORDER BY id"), containsInAnyOrder("replica us", "replica all"));
            assertThat(Sql.strings(c, "SELECT pg_is_in_recovery()::text || ' ' || current_user::text"),
                    containsInAnyOrder("true market_guest"));
            c.rollback();
        }
    }

    @Test
    void whileTheReplicaLagsGuestsMissANewProductAndCustomersSeeIt() throws Exception {
        try (Connection standby = DriverManager.getConnection(replica.adminUrl())) {
            standby.createStatement().execute("SELECT pg_wal_replay_pause()");
            long fresh;
            try {
                try (Connection owner = owner(cfg)) {
                    fresh = Shop.product(owner, "KG", "replica fresh", 10, "KG", "300.00");
                }
                // the guest reads from the paused replica: not there yet, exactly like a missing product
                assertThat(http.get("/api/products/" + fresh, null, "KG").status(), is(404));
                // a customer reads from the primary, and writes there
                assertThat(http.get("/api/products/" + fresh, kgCustomer, null).status(), is(200));
                HttpJson.Res added = http.call("POST", "/api/cart/items", kgCustomer, null,
                        Map.of("product_id", fresh, "quantity", 1), Map.of());
                assertThat(added.toString(), added.status(), is(201));
            } finally {
                standby.createStatement().execute("SELECT pg_wal_replay_resume()");
            }
            long deadline = System.currentTimeMillis() + CATCH_UP_MS;
            int status;
            do {
                status = http.get("/api/products/" + fresh, null, "KG").status();
            } while (status != 200 && System.currentTimeMillis() < deadline && pause());
            assertThat("a guest sees the product once the replica caught up", status, is(200));
            assertThat(http.get("/api/products/" + fresh, null, "US").status(), is(404));
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(100);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Connection owner(AppConfig c) throws SQLException {
        return DriverManager.getConnection(c.db().ownerUrl(), c.db().migrationUser(), c.db().migrationPassword());
    }
}
