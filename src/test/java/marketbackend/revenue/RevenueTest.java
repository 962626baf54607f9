package marketbackend.revenue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webclient.http1.Http1Client;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.manager.ManagerFixture;
import marketbackend.support.Api;
import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestApp;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;
import static org.hamcrest.Matchers.nullValue;

/**
 * Revenue per market day, checked against an independent SQL sum run as the owner over generated
 * orders around midnight of both markets' time zones (Asia/Bishkek UTC+6, America/New_York).
 */
class RevenueTest extends ManagerFixture {
    /** The day under test; no other test writes orders near it. */
    private static final LocalDate DAY = LocalDate.of(2025, 3, 14);
    private static final List<String> STATUSES = List.of("pending", "confirmed", "shipped", "delivered", "cancelled");

    private final Http1Client client;

    RevenueTest(Http1Client client) {
        super(client);
        this.client = client;
    }

    @BeforeAll
    static void seed() throws Exception {
        Random random = new Random(20250314);
        for (String market : List.of("KG", "US")) {
            ZoneId zone = zone(market);
            long a = Fixtures.user(market);
            long b = Fixtures.user(market);
            try (Connection c = TestDatabase.get().owner()) {
                // the edges of the day in the market's zone, and of the UTC day (which is not the market's)
                for (OffsetDateTime t : List.of(
                        local(DAY, 0, 0, 0, zone), local(DAY.minusDays(1), 23, 59, 59, zone),
                        local(DAY, 23, 59, 59, zone), local(DAY.plusDays(1), 0, 0, 0, zone),
                        DAY.atStartOfDay().atOffset(ZoneOffset.UTC), DAY.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC),
                        DAY.atStartOfDay().atOffset(ZoneOffset.UTC).minusNanos(1000))) {
                    order(c, a, amount(random), "confirmed", t);
                    order(c, b, amount(random), "cancelled", t);
                }
                // and a crowd from noon the day before to noon the day after
                OffsetDateTime start = local(DAY.minusDays(1), 12, 0, 0, zone);
                for (int i = 0; i < 60; i++) {
                    order(c, i % 2 == 0 ? a : b, amount(random), STATUSES.get(random.nextInt(STATUSES.size())),
                            start.plusSeconds(random.nextInt(48 * 3600)));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void dayRevenueMatchesTheOwnersSum(String market) throws Exception {
        for (LocalDate day : List.of(DAY.minusDays(1), DAY, DAY.plusDays(1))) {
            JsonNode res = get(of(market).token(), null, "/api/manager/revenue?date=" + day);
            Expected e = expected(market, day);
            assertThat(res.get("market").asText(), is(market));
            assertThat(res.get("date").asText(), is(day.toString()));
            assertThat(res.get("currency").asText(), is(market.equals("KG") ? "KGS" : "USD"));
            assertThat(day + " " + res, res.get("total_revenue").asText(), is(e.revenue()));
            assertThat(res.get("total_orders").asLong(), is(e.orders()));
            assertThat(res.get("average_order_value").asText(), is(e.average()));
            assertThat(res.get("total_revenue").isTextual(), is(true));
        }
        assertThat("the data set has cancelled orders on the day", ownerCount(
                "SELECT count(*) FROM orders o JOIN markets k ON k.code = o.market WHERE o.market = ?"
                        + " AND o.status = 'cancelled' AND (o.order_date AT TIME ZONE k.timezone)::date = ?", market, DAY),
                greaterThan(0L));
    }

    @Test
    void theSameInstantsFallOnDifferentDaysPerMarket() throws Exception {
        // 2025-03-14T00:00Z is March 14th 06:00 in Bishkek but March 13th 20:00 in New York
        assertThat(expected("KG", DAY).orders() > 0 && expected("US", DAY).orders() > 0, is(true));
        JsonNode kg = get(admin().token(), "KG", "/api/manager/revenue?date=" + DAY);
        JsonNode us = get(admin().token(), "US", "/api/manager/revenue?date=" + DAY);
        assertThat(kg.get("total_revenue").asText(), is(expected("KG", DAY).revenue()));
        assertThat(us.get("total_revenue").asText(), is(expected("US", DAY).revenue()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void defaultDateIsTodayInTheMarketsZone(String market) throws Exception {
        LocalDate before = LocalDate.now(zone(market));
        JsonNode res = get(of(market).token(), null, "/api/manager/revenue");
        LocalDate after = LocalDate.now(zone(market));
        assertThat(LocalDate.parse(res.get("date").asText()), isIn(List.of(before, after)));
        Expected e = expected(market, LocalDate.parse(res.get("date").asText()));
        assertThat(res.get("total_orders").asLong(), is(e.orders()));
    }

    @Test
    void compareHasOneRowPerAccessibleMarket() throws Exception {
        JsonNode res = get(admin().token(), null, "/api/manager/revenue/compare?date=" + DAY);
        assertThat(res.get("total").asLong(), is(2L));
        List<String> rows = new ArrayList<>();
        res.get("items").forEach(n -> rows.add(n.get("market").asText() + " " + n.get("currency").asText() + " "
                + n.get("total_revenue").asText() + " " + n.get("total_orders").asLong()));
        Expected kg = expected("KG", DAY);
        Expected us = expected("US", DAY);
        assertThat(rows, contains("KG KGS " + kg.revenue() + " " + kg.orders(), "US USD " + us.revenue() + " " + us.orders()));

        JsonNode single = get(kg().token(), null, "/api/manager/revenue/compare?date=" + DAY);
        assertThat(single.get("items").size(), is(1));
        assertThat(single.get("items").get(0).get("market").asText(), is("KG"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void snapshotOnDemandIsStoredAndListed(String market) throws Exception {
        long manager = of(market).id();
        String token = of(market).token();
        LocalDate day = DAY.minusDays(1);
        JsonNode taken = send("POST", token, null, "/api/manager/revenue/snapshots?date=" + day);
        Expected e = expected(market, day);
        assertThat(taken.get("total_revenue").asText(), is(e.revenue()));
        assertThat(taken.get("market").asText(), is(market));
        assertThat(ownerStrings("SELECT total_revenue || ' ' || total_orders || ' ' || average_order_value"
                + " FROM revenue_snapshots WHERE market = ? AND date = ?", market, day),
                contains(e.revenue() + " " + e.orders() + " " + e.average()));
        JsonNode list = get(token, null, "/api/manager/revenue/snapshots?from=" + day + "&to=" + day);
        assertThat(list.get("total").asLong(), is(1L));
        assertThat(list.get("items").get(0).get("market").asText(), is(market));
        assertThat(list.get("items").get(0).get("average_order_value").asText(), is(e.average()));
        // the other market's manager lists only their own snapshots
        JsonNode other = get(of(other(market)).token(), null,
                "/api/manager/revenue/snapshots?from=" + day + "&to=" + day);
        other.get("items").forEach(n -> assertThat(n.get("market").asText(), is(other(market))));
        assertThat(ownerCount("SELECT count(*) FROM audit_log WHERE market = ? AND manager_id = ?"
                + " AND entity = 'revenue_snapshot' AND action = 'snapshot'", market, manager), greaterThan(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/manager/revenue?date=2025-02-30", "/api/manager/revenue?date=14.03.2025",
            "/api/manager/revenue?date=2025-03-14T00:00:00Z", "/api/manager/revenue/compare?date=tomorrow",
            "/api/manager/revenue/snapshots?from=2025-03-15&to=2025-03-14",
            "/api/manager/revenue/snapshots?from=2023-01-01&to=2025-03-14"})
    void badDatesAre400(String uri) {
        for (String market : List.of("KG", "US")) {
            assertThat(uri, status("GET", of(market).token(), null, uri), is(400));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void futureSnapshotIs400(String market) {
        String future = LocalDate.now(zone(market)).plusDays(2).toString();
        assertThat(status("POST", of(market).token(), null,
                "/api/manager/revenue/snapshots?date=" + future), is(400));
    }

    @Test
    void scheduledJobSnapshotsEachMarketsOwnDays() throws Exception {
        // 03:00 UTC on the 15th: the 15th in Bishkek (09:00), still the 14th in New York (23:00)
        Clock clock = Clock.fixed(DAY.plusDays(1).atTime(3, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        RevenueSnapshotJob job = new RevenueSnapshotJob(TestApp.get().db(), TestApp.get().markets(), clock);
        List<RevenueSnapshotRepository.Snapshot> done = job.runOnce();
        List<String> days = done.stream().map(s -> s.figures().market() + " " + s.figures().date()).toList();
        assertThat(days, contains("KG " + DAY, "KG " + DAY.plusDays(1), "US " + DAY.minusDays(1), "US " + DAY));
        for (String market : List.of("KG", "US")) {
            Expected e = expected(market, DAY);
            assertThat(ownerStrings("SELECT total_revenue || ' ' || total_orders || ' ' || average_order_value || ' ' || currency"
                    + " FROM revenue_snapshots WHERE market = ? AND date = ?", market, DAY),
                    contains(e.revenue() + " " + e.orders() + " " + e.average() + " " + (market.equals("KG") ? "KGS" : "USD")));
        }
        // the job writes no audit entries: it is no manager
        assertThat(ownerCount("SELECT count(*) FROM audit_log WHERE request_id LIKE 'revenue-job-%'"), is(0L));
    }

    /** The job's role sees one market's order totals and writes that market's snapshots, nothing else. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void reporterRoleIsConfinedToOneMarketAndRevenue(String market) throws Exception {
        String other = other(market);
        try (Connection c = TestDatabase.get().app()) {
            Sql.begin(c, "market_reporter", market, null, null);
            assertThat(Sql.strings(c, "SELECT DISTINCT market FROM orders"), contains(market));
            assertThat(Sql.sqlState(c, "SELECT user_id FROM orders"), is("42501"));
            assertThat(Sql.sqlState(c, "SELECT shipping_address FROM orders"), is("42501"));
            assertThat(Sql.sqlState(c, "SELECT count(*) FROM users"), is("42501"));
            assertThat(Sql.sqlState(c, "SELECT count(*) FROM products"), is("42501"));
            assertThat(Sql.sqlState(c, "UPDATE orders SET status = 'cancelled'"), is("42501"));
            assertThat(Sql.sqlState(c, "INSERT INTO audit_log (market, manager_id, action, entity) VALUES (?, 1, 'x', 'y')",
                    market), is("42501"));
            assertThat(Sql.sqlState(c, "INSERT INTO revenue_snapshots (market, date, currency, total_revenue, total_orders,"
                    + " average_order_value) VALUES (?, DATE '2001-01-01', ?, 0, 0, 0)", other,
                    other.equals("KG") ? "KGS" : "USD"), is("42501"));
            assertThat(Sql.sqlState(c, "INSERT INTO revenue_snapshots (market, date, currency, total_revenue, total_orders,"
                    + " average_order_value) VALUES (?, DATE '2001-01-01', ?, 0, 0, 0)", market,
                    market.equals("KG") ? "KGS" : "USD"), nullValue());
            assertThat(Sql.strings(c, "SELECT DISTINCT market FROM revenue_snapshots"), contains(market));
            c.rollback();
            // without a market it sees nothing at all
            Sql.begin(c, "market_reporter", null, null, null);
            assertThat(Sql.count(c, "SELECT count(*) FROM orders"), is(0L));
            assertThat(Sql.count(c, "SELECT count(*) FROM revenue_snapshots"), is(0L));
            c.rollback();
        }
    }

    // ---------------------------------------------------------------- independent expectations (as the owner)

    record Expected(String revenue, long orders, String average) {
    }

    /** Plain SQL in the database's own time zone arithmetic, not the server's Java date code. */
    private static Expected expected(String market, LocalDate day) throws Exception {
        try (Connection c = TestDatabase.get().owner(); PreparedStatement ps = c.prepareStatement("""
                SELECT count(*), coalesce(sum(o.total_amount), 0)
                FROM orders o JOIN markets k ON k.code = o.market
                WHERE o.market = ? AND o.status <> 'cancelled' AND (o.order_date AT TIME ZONE k.timezone)::date = ?""")) {
            ps.setString(1, market);
            ps.setObject(2, day);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                BigDecimal sum = rs.getBigDecimal(2).setScale(2, RoundingMode.UNNECESSARY);
                String avg = n == 0 ? "0.00" : sum.divide(BigDecimal.valueOf(n), 2, RoundingMode.HALF_UP).toPlainString();
                return new Expected(sum.toPlainString(), n, avg);
            }
        }
    }

    private static ZoneId zone(String market) {
        return ZoneId.of(market.equals("KG") ? "Asia/Bishkek" : "America/New_York");
    }

    private static OffsetDateTime local(LocalDate day, int h, int m, int s, ZoneId zone) {
        return day.atTime(LocalTime.of(h, m, s)).atZone(zone).toOffsetDateTime();
    }

    private static BigDecimal amount(Random random) {
        return BigDecimal.valueOf(100 + random.nextInt(9_999_900), 2);
    }

    private static void order(Connection c, long user, BigDecimal total, String status, OffsetDateTime at) throws Exception {
        Sql.update(c, "INSERT INTO orders (user_id, total_amount, status, order_date) VALUES (?, ?, ?, ?)",
                user, total, status, at);
    }

    private static long ownerCount(String sql, Object... params) throws Exception {
        try (Connection c = TestDatabase.get().owner()) {
            return Sql.count(c, sql, params);
        }
    }

    private static List<String> ownerStrings(String sql, Object... params) throws Exception {
        try (Connection c = TestDatabase.get().owner()) {
            return Sql.strings(c, sql, params);
        }
    }

    private JsonNode get(String token, String market, String uri) {
        return send("GET", token, market, uri);
    }

    private JsonNode send(String method, String token, String market, String uri) {
        return request(method, token, market, uri).expect(200);
    }

    private int status(String method, String token, String market, String uri) {
        return request(method, token, market, uri).status();
    }

    private Api.Res request(String method, String token, String market, String uri) {
        return new Api(client).call(io.helidon.http.Method.create(method), uri, token, null,
                market == null ? Map.of() : Map.of("X-Market", market));
    }
}
