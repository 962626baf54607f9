package marketbackend.manager;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webclient.http1.Http1Client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** Orders of the managed market: list with filters, detail, and the status lifecycle with notifications. */
class ManagerOrdersTest extends ManagerFixture {
    ManagerOrdersTest(Http1Client client) {
        super(client);
    }

    private static ZoneId zone(String market) {
        return ZoneId.of(market.equals("KG") ? "Asia/Bishkek" : "America/New_York");
    }

    /** An instant at a local time of the market's day. */
    private static OffsetDateTime local(String market, LocalDate day, int hour, int minute) {
        return day.atTime(LocalTime.of(hour, minute)).atZone(zone(market)).toOffsetDateTime();
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void listShowsTheMarketsOrdersOfTheDayInItsTimeZone(String market) throws Exception {
        LocalDate day = LocalDate.of(2030, 5, market.equals("KG") ? 10 : 11);
        long buyer = Fixtures.user(market);
        long late = ManagerApi.order(buyer, "100.50", "pending", local(market, day, 23, 30));
        long nextDay = ManagerApi.order(buyer, "7.00", "pending", local(market, day.plusDays(1), 0, 30));
        long early = ManagerApi.order(buyer, "1.00", "confirmed", local(market, day, 0, 0));
        long foreign = ManagerApi.order(Fixtures.user(other(market)), "5.00", "pending", local(market, day, 12, 0));

        ManagerApi.Res res = api.get(of(market).token(), null, "/api/manager/orders?from=" + day + "&to=" + day);
        assertThat(res.toString(), res.status(), is(200));
        assertThat(res.ids(), containsInAnyOrder(late, early));
        assertThat(res.body().get("total").asLong(), is(2L));
        assertThat(res.items().stream().map(n -> n.get("market").asText()).toList(), everyItem(is(market)));
        JsonNode first = res.items().getFirst();
        assertThat(first.get("id").asLong(), is(late));
        assertThat(first.get("total_amount").asText(), is("100.50"));
        assertThat(first.get("currency").asText(), is(market.equals("KG") ? "KGS" : "USD"));
        assertThat(first.get("order_number").asText(), startsWith(market + "-"));
        assertThat(first.get("customer_phone").asText(), startsWith(market.equals("KG") ? "+996" : "+1"));

        // the other market's manager never sees them, whatever the filter
        ManagerApi.Res other = api.get(of(other(market)).token(), null,
                "/api/manager/orders?size=100&from=" + day.minusDays(1) + "&to=" + day.plusDays(1));
        assertThat(other.ids(), not(hasItem(late)));
        assertThat(other.ids(), not(hasItem(nextDay)));
        assertThat(other.ids(), hasItem(foreign));

        // instants are exact: from 23:30 local, inclusive
        String from = local(market, day, 23, 30).toInstant().toString();
        assertThat(api.get(of(market).token(), null, "/api/manager/orders?from=" + from + "&to=" + day).ids(),
                contains(late));
        assertThat(api.get(of(market).token(), null, "/api/manager/orders?status=confirmed&from=" + day + "&to=" + day)
                .ids(), contains(early));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void pagination(String market) throws Exception {
        LocalDate day = LocalDate.of(2030, 6, market.equals("KG") ? 1 : 2);
        long buyer = Fixtures.user(market);
        for (int i = 0; i < 3; i++) {
            ManagerApi.order(buyer, "10.00", "pending", local(market, day, 10 + i, 0));
        }
        String uri = "/api/manager/orders?size=2&from=" + day + "&to=" + day;
        ManagerApi.Res p1 = api.get(admin().token(), market, uri + "&page=1");
        ManagerApi.Res p2 = api.get(admin().token(), market, uri + "&page=2");
        assertThat(p1.items().size(), is(2));
        assertThat(p2.items().size(), is(1));
        assertThat(p1.body().get("total").asLong(), is(3L));
        assertThat(p2.body().get("page").asInt(), is(2));
        assertThat(p2.body().get("size").asInt(), is(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"status=lost", "status=PENDING", "from=2030-13-01", "from=yesterday", "to=2030-02-30",
            "from=2030-01-01T00:00:00", "from=2030-01-02&to=2030-01-01", "page=0", "size=1000"})
    void badFiltersAre400(String query) {
        for (String market : List.of("KG", "US")) {
            ManagerApi.Res res = api.get(of(market).token(), null, "/api/manager/orders?" + query);
            assertThat(query + " " + res, res.status(), is(400));
            assertThat(res.contentType(), startsWith("application/problem+json"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void detailHasItemsAndCustomerAndHidesOtherMarkets(String market) throws Exception {
        long buyer = Fixtures.user(market);
        long id = ManagerApi.order(buyer, "30.00", "pending", OffsetDateTime.now());
        ManagerApi.orderItem(id, "Thing", 3, "10.00");
        ManagerApi.Res res = api.get(of(market).token(), null, "/api/manager/orders/" + id);
        assertThat(res.toString(), res.status(), is(200));
        assertThat(res.body().get("market").asText(), is(market));
        assertThat(res.body().get("customer_phone").asText(),
                is(ManagerApi.ownerStrings("SELECT phone FROM users WHERE id = ?", buyer).getFirst()));
        assertThat(res.body().get("items").size(), is(1));
        assertThat(res.body().get("items").get(0).get("line_total").asText(), is("30.00"));
        assertThat(res.body().get("next_statuses").toString(), is("[\"confirmed\",\"cancelled\"]"));

        ManagerApi.Res hidden = api.get(of(other(market)).token(), null, "/api/manager/orders/" + id);
        ManagerApi.Res missing = api.get(of(other(market)).token(), null, "/api/manager/orders/" + Long.MAX_VALUE);
        assertThat(hidden.status(), is(404));
        assertThat(hidden.detail(), is(missing.detail()));
        assertThat(api.get(of(market).token(), null, "/api/manager/orders/abc").status(), is(404));
        // the admin sees it only while serving its market
        assertThat(api.get(admin().token(), other(market), "/api/manager/orders/" + id).status(), is(404));
        assertThat(api.get(admin().token(), market, "/api/manager/orders/" + id).status(), is(200));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void lifecycleNotifiesTheCustomerInTheMarketsLanguage(String market) throws Exception {
        long buyer = Fixtures.user(market);
        long id = ManagerApi.order(buyer, "12.00", "pending", OffsetDateTime.now());
        String number = ManagerApi.ownerStrings("SELECT order_number FROM orders WHERE id = ?", id).getFirst();
        String token = of(market).token();
        String requestId = null;
        for (String status : List.of("confirmed", "shipped", "delivered")) {
            ManagerApi.Res res = api.patch(token, null, "/api/manager/orders/" + id, Map.of("status", status));
            assertThat(status + " " + res, res.status(), is(200));
            assertThat(res.body().get("status").asText(), is(status));
            requestId = res.requestId();
        }
        ManagerApi.Res late = api.patch(token, null, "/api/manager/orders/" + id, Map.of("status", "cancelled"));
        assertThat(late.status(), is(409));
        assertThat(ManagerApi.ownerStrings("SELECT status FROM orders WHERE id = ?", id), contains("delivered"));

        List<String> titles = ManagerApi.ownerStrings(
                "SELECT title FROM notifications WHERE user_id = ? ORDER BY id", buyer);
        if (market.equals("KG")) {
            assertThat(titles, contains("Заказ " + number + " подтверждён", "Заказ " + number + " отправлен",
                    "Заказ " + number + " доставлен"));
        } else {
            assertThat(titles, contains("Order " + number + " confirmed", "Order " + number + " shipped",
                    "Order " + number + " delivered"));
        }
        assertThat(ManagerApi.ownerStrings("SELECT DISTINCT market || ' ' || locale FROM notifications WHERE user_id = ?",
                buyer), contains(market + (market.equals("KG") ? " ru-KG" : " en-US")));

        // every move is in the audit log of the market, with the request that made it
        List<String> audit = ManagerApi.ownerStrings("""
                SELECT market || ' ' || manager_id || ' ' || (before->>'status') || '>' || (after->>'status')
                FROM audit_log WHERE entity = 'order' AND entity_id = ? ORDER BY id""", Long.toString(id));
        long mid = of(market).id();
        assertThat(audit, contains(market + " " + mid + " pending>confirmed", market + " " + mid + " confirmed>shipped",
                market + " " + mid + " shipped>delivered"));
        assertThat(ManagerApi.ownerCount("SELECT count(*) FROM audit_log WHERE entity_id = ? AND request_id = ?",
                Long.toString(id), requestId), is(1L));
    }

    @ParameterizedTest
    @CsvSource({"KG,pending,cancelled,200", "US,pending,cancelled,200", "KG,confirmed,cancelled,200",
            "US,confirmed,cancelled,200", "KG,shipped,cancelled,409", "US,shipped,cancelled,409",
            "KG,pending,shipped,409", "US,pending,delivered,409", "KG,pending,pending,409", "US,cancelled,confirmed,409",
            "KG,delivered,shipped,409", "US,confirmed,pending,409"})
    void transitions(String market, String from, String to, int expected) throws Exception {
        long buyer = Fixtures.user(market);
        long id = ManagerApi.order(buyer, "1.00", from, OffsetDateTime.now());
        ManagerApi.Res res = api.patch(of(market).token(), null, "/api/manager/orders/" + id, Map.of("status", to));
        assertThat(res.toString(), res.status(), is(expected));
        assertThat(ManagerApi.ownerStrings("SELECT status FROM orders WHERE id = ?", id),
                contains(expected == 200 ? to : from));
        assertThat(ManagerApi.ownerCount("SELECT count(*) FROM notifications WHERE user_id = ?", buyer),
                is(expected == 200 ? 1L : 0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void badStatusBodiesAre422AndOtherMarketsOrdersAre404(String market) throws Exception {
        long id = ManagerApi.order(Fixtures.user(market), "1.00", "pending", OffsetDateTime.now());
        String token = of(market).token();
        for (String body : List.of("{\"status\":\"lost\"}", "{}", "{\"status\":null}", "{\"status\":\"confirmed\",\"market\":\"US\"}")) {
            assertThat(body, api.patch(token, null, "/api/manager/orders/" + id, body).status(), is(422));
        }
        ManagerApi.Res foreign = api.patch(of(other(market)).token(), null, "/api/manager/orders/" + id,
                Map.of("status", "confirmed"));
        assertThat(foreign.status(), is(404));
        assertThat(ManagerApi.ownerStrings("SELECT status FROM orders WHERE id = ?", id), contains("pending"));
    }
}
