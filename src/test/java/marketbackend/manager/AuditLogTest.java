package marketbackend.manager;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webclient.http1.Http1Client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** The audit log: written with every manager write, read per market, and append-only for every role but the owner. */
class AuditLogTest extends ManagerFixture {
    AuditLogTest(Http1Client client) {
        super(client);
    }

    @ParameterizedTest
    @ValueSource(strings = {"entity=bogus", "action=bogus", "entity=Product"})
    void aFilterOutsideTheListedValuesIs400NotAnEmptyList(String filter) {
        ManagerApi.Res res = api.get(kg().token(), null, "/api/manager/audit-log?" + filter);
        assertThat(res.toString(), res.status(), is(400));
        assertThat(res.detail(), containsString("must be one of"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aWriteIsLoggedWithItsMarketManagerAndRequest(String market) {
        String name = Fixtures.unique("audited");
        ManagerApi.Res created = api.post(of(market).token(), null, "/api/manager/categories",
                Map.of("name", name, "market", market));
        assertThat(created.status(), is(201));
        long id = created.body().get("id").asLong();

        ManagerApi.Res log = api.get(of(market).token(), null, "/api/manager/audit-log?entity=category&size=100");
        assertThat(log.toString(), log.status(), is(200));
        JsonNode entry = log.items().stream().filter(n -> n.get("entity_id").asText().equals(Long.toString(id)))
                .findFirst().orElseThrow(() -> new AssertionError("no entry for " + id + " in " + log));
        assertThat(entry.get("market").asText(), is(market));
        assertThat(entry.get("manager_id").asLong(), is(of(market).id()));
        assertThat(entry.get("action").asText(), is("create"));
        assertThat(entry.get("before").isNull(), is(true));
        assertThat(entry.get("after").get("name").asText(), is(name));
        assertThat(entry.get("request_id").asText(), is(created.requestId()));
        assertThat(log.items().stream().map(n -> n.get("entity").asText()).toList(), everyItem(is("category")));

        // the other market's manager does not see it; an admin sees it only in this market
        List<Long> otherIds = api.get(of(other(market)).token(), null, "/api/manager/audit-log?size=100").ids();
        assertThat(otherIds, not(hasItem(entry.get("id").asLong())));
        assertThat(api.get(admin().token(), market, "/api/manager/audit-log?size=100").ids(), hasItem(entry.get("id").asLong()));
        assertThat(api.get(admin().token(), other(market), "/api/manager/audit-log?size=100").ids(),
                not(hasItem(entry.get("id").asLong())));
        ManagerApi.Res page = api.get(of(market).token(), null, "/api/manager/audit-log?size=1&page=1");
        assertThat(page.items().size(), is(1));
        assertThat(page.body().get("total").asLong(), greaterThan(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aRefusedWriteLeavesNoEntry(String market) throws Exception {
        String name = Fixtures.unique("refused");
        assertThat(api.post(of(market).token(), null, "/api/manager/categories",
                Map.of("name", name, "market", other(market))).status(), is(403));
        assertThat(ManagerApi.ownerCount("SELECT count(*) FROM audit_log WHERE after->>'name' = ?", name), is(0L));
    }

    /** Append-only: no request role may change or remove an entry, or append one in another's name or market. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void onlyTheOwnerMayUpdateOrDeleteEntries(String market) throws Exception {
        api.post(of(market).token(), null, "/api/manager/categories", Map.of("name", Fixtures.unique("x"), "market", market));
        long entries = ManagerApi.ownerCount("SELECT count(*) FROM audit_log WHERE market = ?", market);
        assertThat(entries, greaterThan(0L));
        long me = of(market).id();
        try (Connection c = TestDatabase.get().app()) {
            Sql.begin(c, "market_manager", market, me, null);
            assertThat(Sql.count(c, "SELECT count(*) FROM audit_log"), is(entries));
            assertThat(Sql.sqlState(c, "UPDATE audit_log SET action = 'nothing'"), is("42501"));
            assertThat(Sql.sqlState(c, "DELETE FROM audit_log"), is("42501"));
            assertThat(Sql.sqlState(c, "TRUNCATE audit_log"), is("42501"));
            assertThat(Sql.sqlState(c, "INSERT INTO audit_log (market, manager_id, action, entity) VALUES (?, ?, 'x', 'y')",
                    market, of(other(market)).id()), is("42501"));
            assertThat(Sql.sqlState(c, "INSERT INTO audit_log (market, manager_id, action, entity) VALUES (?, ?, 'x', 'y')",
                    other(market), me), is("42501"));
            // no request id, or another one than this request's, is refused
            assertThat(Sql.sqlState(c, "INSERT INTO audit_log (market, manager_id, action, entity) VALUES (?, ?, 'x', 'y')",
                    market, me), is("42501"));
            assertThat(Sql.sqlState(c, "INSERT INTO audit_log (market, manager_id, action, entity, request_id) "
                    + "VALUES (?, ?, 'x', 'y', 'another-request')", market, me), is("42501"));
            assertThat(Sql.sqlState(c, "INSERT INTO audit_log (market, manager_id, action, entity, request_id) "
                    + "VALUES (?, ?, 'x', 'y', app.current_request_id())", market, me), nullValue());
            c.rollback();
            for (String role : List.of("market_customer", "market_guest", "market_reporter")) {
                Sql.begin(c, role, market, me, null);
                assertThat(role, Sql.sqlState(c, "SELECT count(*) FROM audit_log"), is("42501"));
                assertThat(role, Sql.sqlState(c, "UPDATE audit_log SET action = 'nothing'"), is("42501"));
                assertThat(role, Sql.sqlState(c, "DELETE FROM audit_log"), is("42501"));
                c.rollback();
            }
            // the pool's login role itself, before any role switch
            c.setAutoCommit(false);
            assertThat(Sql.sqlState(c, "DELETE FROM public.audit_log"), is("42501"));
            assertThat(Sql.sqlState(c, "UPDATE public.audit_log SET action = 'nothing'"), is("42501"));
            c.rollback();
        }
        try (Connection owner = TestDatabase.get().owner()) {
            owner.setAutoCommit(false);
            assertThat(Sql.sqlState(owner, "UPDATE audit_log SET action = action WHERE market = ?", market), nullValue());
            owner.rollback();
        }
        assertThat(ManagerApi.ownerCount("SELECT count(*) FROM audit_log WHERE market = ? AND action = 'nothing'", market),
                is(0L));
    }
}
