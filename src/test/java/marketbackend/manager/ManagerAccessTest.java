package marketbackend.manager;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import io.helidon.webclient.http1.Http1Client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** Who may manage which market: decided by the database on every request, shown by /me, switched by settings. */
class ManagerAccessTest extends ManagerFixture {
    ManagerAccessTest(Http1Client client) {
        super(client);
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void singleMarketManagerSeesOnlyTheirMarket(String market) throws Exception {
        Mgr mgr = of(market);
        ManagerApi.Res me = api.get(mgr.token(), null, "/api/manager/me");
        assertThat(me.toString(), me.status(), is(200));
        assertThat(me.market(), is(market));
        assertThat(me.body().get("id").asLong(), is(mgr.id()));
        assertThat(me.body().get("role").asText(), is("manager"));
        assertThat(me.body().get("market").asText(), is(market));
        assertThat(me.body().get("phone").asText(), is(ManagerApi.ownerStrings(
                "SELECT phone FROM users WHERE id = ?", mgr.id()).getFirst()));
        assertThat(texts(me.body().get("accessible_markets")), contains(market));
        assertThat(me.body().get("active_market").asText(), is(market));
        assertThat(me.body().get("current_market").asText(), is(market));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anotherMarketInTheHeaderIs403(String market) {
        String other = other(market);
        for (String uri : List.of("/api/manager/me", "/api/manager/orders", "/api/manager/products")) {
            ManagerApi.Res res = api.get(of(market).token(), other, uri);
            assertThat(uri, res.status(), is(403));
            assertThat(res.detail(), is("No access to " + other + " market"));
            assertThat(res.contentType(), startsWith("application/problem+json"));
        }
    }

    @Test
    void adminManagesBothAndSwitchesWithTheHeader() {
        ManagerApi.Res me = api.get(admin().token(), null, "/api/manager/me");
        assertThat(me.body().get("role").asText(), is("admin"));
        assertThat(texts(me.body().get("accessible_markets")), contains("KG", "US"));
        assertThat(api.get(admin().token(), "US", "/api/manager/me").market(), is("US"));
        assertThat(api.get(admin().token(), "US", "/api/manager/me").body().get("current_market").asText(), is("US"));
        assertThat(api.get(admin().token(), "KG", "/api/manager/orders").status(), is(200));
        assertThat(api.get(admin().token(), "US", "/api/manager/orders").status(), is(200));
    }

    @Test
    void savedActiveMarketIsTheDefault() throws Exception {
        Mgr admin = newManager("US", "admin", "KG", "US");
        assertThat(api.get(admin.token(), null, "/api/manager/me").market(), is("KG"));
        ManagerApi.Res saved = api.put(admin.token(), null, "/api/manager/settings", Map.of("active_market", "US"));
        assertThat(saved.toString(), saved.status(), is(200));
        assertThat(saved.body().get("active_market").asText(), is("US"));
        ManagerApi.Res me = api.get(admin.token(), null, "/api/manager/me");
        assertThat(me.market(), is("US"));
        assertThat(me.body().get("active_market").asText(), is("US"));
        // the header still wins for one request
        assertThat(api.get(admin.token(), "KG", "/api/manager/me").market(), is("KG"));
        assertThat(ManagerApi.ownerStrings("SELECT active_market FROM manager_settings WHERE user_id = ?", admin.id()),
                contains("US"));
        assertThat(api.put(admin.token(), null, "/api/manager/settings", Map.of("active_market", "KG")).status(), is(200));
        assertThat(api.get(admin.token(), null, "/api/manager/me").market(), is("KG"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void settingAnUnmanagedMarketIs403(String market) throws Exception {
        String other = other(market);
        ManagerApi.Res res = api.put(of(market).token(), null, "/api/manager/settings", Map.of("active_market", other));
        assertThat(res.status(), is(403));
        assertThat(res.detail(), is("No access to " + other + " market"));
        assertThat(ManagerApi.ownerCount("SELECT count(*) FROM manager_settings WHERE user_id = ? AND active_market = ?",
                of(market).id(), other), is(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"active_market\":\"XX\"}", "{\"active_market\":\"us\"}", "{\"active_market\":\"ALL\"}",
            "{}", "{\"active_market\":null}", "{\"active_market\":\"KG\",\"user_id\":1}", "{\"active_market\":1}"})
    void badSettingsAre422(String body) {
        ManagerApi.Res res = api.put(admin().token(), null, "/api/manager/settings", body);
        assertThat(res.toString(), res.status(), is(422));
    }

    /** The settings policy refuses an unmanaged market even without the API's check. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void settingsPolicyRefusesAnUnmanagedMarket(String market) throws Exception {
        long id = of(market).id();
        String other = other(market);
        try (Connection c = TestDatabase.get().app()) {
            Sql.begin(c, "market_manager", market, id, null);
            assertThat(Sql.sqlState(c, "INSERT INTO manager_settings (user_id, active_market) VALUES (?, ?)", id, other),
                    is("42501"));
            assertThat(Sql.sqlState(c, "INSERT INTO manager_settings (user_id, active_market) VALUES (?, ?)", id, market),
                    nullValue());
            assertThat(Sql.sqlState(c, "UPDATE manager_settings SET active_market = ? WHERE user_id = ?", other, id),
                    is("42501"));
            c.rollback();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void revokingAMarketTakesEffectOnTheNextRequest(String market) throws Exception {
        String other = other(market);
        Mgr both = newManager(market, "admin", "KG", "US");
        assertThat(api.put(both.token(), null, "/api/manager/settings", Map.of("active_market", market)).status(), is(200));
        assertThat(api.get(both.token(), market, "/api/manager/orders").status(), is(200));
        assertThat(api.get(both.token(), other, "/api/manager/orders").status(), is(200));

        assertThat(ManagerApi.ownerUpdate("DELETE FROM store_manager_markets WHERE user_id = ? AND market = ?",
                both.id(), market), is(1));

        // losing a market ends the manager's sessions (R__70_sessions.sql): the old token is refused everywhere
        assertThat(api.get(both.token(), other, "/api/manager/orders").status(), is(401));
        // after a new login, the database's list of markets decides on every request
        String again = ManagerApi.token(both.id(), both.home());
        ManagerApi.Res refused = api.get(again, market, "/api/manager/orders");
        assertThat(refused.status(), is(403));
        assertThat(refused.detail(), is("No access to " + market + " market"));
        // the market that is left still works; the saved choice no longer applies
        assertThat(api.get(again, other, "/api/manager/orders").status(), is(200));
        ManagerApi.Res me = api.get(again, null, "/api/manager/me");
        assertThat(me.market(), is(other));
        assertThat(texts(me.body().get("accessible_markets")), contains(other));
    }

    @Test
    void removingTheManagerRecordRevokesEverything() throws Exception {
        Mgr gone = newManager("US", "manager", "US");
        assertThat(api.get(gone.token(), null, "/api/manager/me").status(), is(200));
        ManagerApi.ownerUpdate("DELETE FROM store_managers WHERE user_id = ?", gone.id());
        assertThat(api.get(gone.token(), null, "/api/manager/me").status(), is(401));
        // a token of a new session (as if issued just before the removal) still opens nothing
        String again = ManagerApi.token(gone.id(), gone.home());
        assertThat(api.get(again, null, "/api/manager/me").status(), is(403));
        assertThat(api.get(again, "US", "/api/manager/orders").status(), is(403));
    }

    @Test
    void aManagerWithoutMarketsIsRefused() throws Exception {
        Mgr none = newManager("KG", "manager");
        assertThat(api.get(none.token(), null, "/api/manager/me").status(), is(403));
    }

    @Test
    void customersAndGuestsAreKeptOut() throws Exception {
        long customer = Fixtures.user("KG");
        assertThat(api.get(ManagerApi.customerToken(customer, "KG"), null, "/api/manager/me").status(), is(403));
        // a manager token for a user who is no manager
        assertThat(api.get(ManagerApi.token(customer, "KG"), null, "/api/manager/me").status(), is(403));
        assertThat(api.get(null, null, "/api/manager/me").status(), is(401));
        assertThat(api.get("not-a-token", null, "/api/manager/me").status(), is(401));
    }

    @Test
    void unknownManagerPathIs404() {
        assertThat(api.get(kg().token(), null, "/api/manager/nothing-here").status(), is(404));
    }

    private static List<String> texts(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
