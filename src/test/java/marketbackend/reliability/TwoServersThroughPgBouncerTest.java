package marketbackend.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import marketbackend.AppConfig;
import marketbackend.Server;
import marketbackend.context.RequestContext;
import marketbackend.db.Migrations;
import marketbackend.revenue.RevenueSnapshotRepository;
import marketbackend.revenue.RevenueSnapshotJob;
import marketbackend.support.Fixtures;
import marketbackend.support.PgBouncer;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Two server instances, each with its own pool, behind one transaction-mode PgBouncer in front of one
 * database, started as production starts them with {@code MIGRATE_ON_START=false}: as market_app only
 * (the pooler does not even know the owner), checking the schema and the context key through it.
 * Clients alternate between the two; the {@link Soak} finds no leak and no error. Phone login and
 * the revenue job hold across the instances.
 */
class TwoServersThroughPgBouncerTest {
    private static final Pattern CODE = Pattern.compile("(?<![0-9])[0-9]{6}(?![0-9])");

    private static PgBouncer bouncer;
    private static AppConfig pooled;
    private static Server.App appA;
    private static Server.App appB;
    private static WebServer a;
    private static WebServer b;

    @BeforeAll
    static void start() throws Exception {
        AppConfig direct = TestDatabase.get().config();
        // fewer server connections than the two pools hold: backends are shared by both instances
        bouncer = PgBouncer.start(direct.db().url(), direct.db().user(), direct.db().password(), 4);
        pooled = PgBouncer.behind(bouncer.url(), 4);
        appA = Server.App.open(pooled);
        appB = Server.App.open(pooled);
        a = serve(appA);
        b = serve(appB);
    }

    private static WebServer serve(Server.App app) {
        return Server.configure(WebServer.builder(), app).host("127.0.0.1").port(0).build().start();
    }

    @AfterAll
    static void stop() {
        for (WebServer s : new WebServer[]{a, b}) {
            if (s != null) {
                s.stop();
            }
        }
        for (Server.App app : new Server.App[]{appA, appB}) {
            if (app != null) {
                app.close();
            }
        }
        if (bouncer != null) {
            bouncer.close();
        }
    }

    @Test
    void serversBehindThePoolerHoldNoOwnerRightsAndMigrationsGoDirect() throws Exception {
        assertThat(pooled.db().migrateOnStart(), is(false));
        String seen = appA.db().read(RequestContext.guest("US", "who"), tx -> tx.get(
                "SELECT session_user::text || ' ' || current_user::text || ' ' || app.current_market()"
                        + " || ' ' || current_setting('max_parallel_workers_per_gather') AS who")
                .orElseThrow().column("who").get(String.class));
        // the pooler drops the pool's startup options; the database's own default for market_app holds
        assertThat(seen, is("market_app market_guest US 0"));
        AppConfig.Database db = pooled.db();
        SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () ->
                DriverManager.getConnection(bouncer.url(), db.migrationUser(), db.migrationPassword()).close());
        assertThat(refused.getMessage(), containsString("password authentication failed"));
        // the same configuration migrates through DB_MIGRATION_URL, past the pooler (Flyway's session locks)
        assertThat(Migrations.migrate(pooled).migrationsExecuted, is(0));
    }

    @Test
    void clientsAlternatingBetweenTwoServersStayIsolated() throws Exception {
        new Soak(new HttpJson(a.port(), b.port())).run();
    }

    @Test
    void aPhoneLogsInAcrossInstancesAndItsLimitsAreShared() {
        for (String market : List.of("KG", "US")) {
            String phone = Fixtures.phone(market);
            HttpJson onA = new HttpJson(a.port());
            HttpJson onB = new HttpJson(b.port());
            assertThat(onA.call("POST", "/api/auth/code", null, null, Map.of("phone", phone), Map.of()).status(), is(202));
            // the resend interval is counted in the database: the other instance refuses too
            assertThat(onB.call("POST", "/api/auth/code", null, null, Map.of("phone", phone), Map.of()).status(), is(429));
            HttpJson.Res token = onB.call("POST", "/api/auth/token", null, null,
                    Map.of("phone", phone, "code", lastCode(phone)), Map.of());
            assertThat(token.toString(), token.status(), is(200));
            HttpJson.Res me = onA.get("/api/me", token.json().get("access_token").asText(), null);
            assertThat(me.toString(), me.json().get("market").asText(), is(market));
        }
    }

    @Test
    void theRevenueJobComputesEachMarketsDayOnceAcrossInstances() throws Exception {
        Duration interval = Duration.ofMinutes(15);
        RevenueSnapshotJob jobA = new RevenueSnapshotJob(appA.db(), appA.markets(), Clock.systemUTC(), interval);
        RevenueSnapshotJob jobB = new RevenueSnapshotJob(appB.db(), appB.markets(), Clock.systemUTC(), interval);
        int days = 2 * appA.markets().withClosed().size();
        ageSnapshots();
        CompletableFuture<List<RevenueSnapshotRepository.Snapshot>> onA = CompletableFuture.supplyAsync(jobA::runOnce);
        CompletableFuture<List<RevenueSnapshotRepository.Snapshot>> onB = CompletableFuture.supplyAsync(jobB::runOnce);
        assertThat("snapshots computed by both instances together", onA.get().size() + onB.get().size(), is(days));
        // within the interval, neither instance computes them again
        assertThat(jobA.runOnce().size() + jobB.runOnce().size(), is(0));
        // once the interval has passed (as if: the stored ones are made older), the next run does
        ageSnapshots();
        assertThat(jobB.runOnce().size() + jobA.runOnce().size(), is(days));
    }

    /** Every snapshot of the last days, stored as if an interval ago. */
    private static void ageSnapshots() throws SQLException {
        try (Connection owner = TestDatabase.get().owner()) {
            Sql.update(owner, "UPDATE revenue_snapshots SET computed_at = computed_at - interval '1 hour'"
                    + " WHERE date >= current_date - 3");
        }
    }

    private static String lastCode(String phone) {
        try (Connection owner = TestDatabase.get().owner()) {
            String body = Sql.strings(owner, "SELECT body FROM sms_outbox WHERE phone = ? ORDER BY id DESC", phone)
                    .getFirst();
            Matcher m = CODE.matcher(body);
            assertThat(body, m.find(), is(true));
            return m.group();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
