package marketbackend.manager;

import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webclient.http1.Http1Client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** Catalog management: each manager writes their market's rows; ALL rows only a manager of every market. */
class ManagerCatalogTest extends ManagerFixture {
    ManagerCatalogTest(Http1Client client) {
        super(client);
    }

    private static String currency(String market) {
        return market.equals("KG") ? "KGS" : "USD";
    }

    private static Map<String, Object> product(String name, String market, String price, Long categoryId) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("market", market);
        body.put("price", price);
        body.put("category_id", categoryId);
        return body;
    }

    // ---------------------------------------------------------------- products

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void createsAProductOfTheMarketWithItsPrice(String market) throws Exception {
        String name = Fixtures.unique("new " + market);
        long category = Fixtures.category(market, Fixtures.unique("cat"));
        Map<String, Object> body = product(name, market, "1250.50", category);
        body.put("description", "Handmade");
        body.put("stock", 4);
        ManagerApi.Res res = api.post(of(market).token(), null, "/api/manager/products", body);
        assertThat(res.toString(), res.status(), is(201));
        long id = res.body().get("id").asLong();
        assertThat(res.location(), is("/api/manager/products/" + id));
        assertThat(res.body().get("market").asText(), is(market));
        assertThat(res.body().get("price").asText(), is("1250.50"));
        assertThat(res.body().get("currency").asText(), is(currency(market)));
        assertThat(res.body().get("in_stock").asBoolean(), is(true));
        assertThat(ManagerApi.ownerStrings("SELECT market || ' ' || price || ' ' || currency FROM product_prices"
                + " WHERE product_id = ?", id), contains(market + " 1250.50 " + currency(market)));
        assertThat(ManagerApi.ownerStrings("SELECT entity || ' ' || action || ' ' || market || ' ' || (after->>'name')"
                + " FROM audit_log WHERE entity = 'product' AND entity_id = ?", Long.toString(id)),
                contains("product create " + market + " " + name));
        // customers of the market see it, the other market does not
        assertThat(api.get(null, market, "/api/products/" + id).status(), is(200));
        assertThat(api.get(null, other(market), "/api/products/" + id).status(), is(404));
    }

    /** The one text rule (http.Fields): code points counted, no control characters, line breaks only where text spans lines. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void textFieldsCountCharactersAndRefuseControlCharacters(String market) throws Exception {
        String token = of(market).token();
        // 300 emoji are 600 UTF-16 units but 300 characters: the most a name may have
        String emoji = "\uD83D\uDE00".repeat(300);
        ManagerApi.Res longest = api.post(token, null, "/api/manager/products", product(emoji, market, "1.00", null));
        assertThat(longest.toString(), longest.status(), is(201));
        assertThat(longest.body().get("name").asText(), is(emoji));
        ManagerApi.Res tooLong = api.post(token, null, "/api/manager/products", product(emoji + "x", market, "1.00", null));
        assertThat(tooLong.toString(), tooLong.status(), is(422));
        assertThat(tooLong.detail(), is("Field 'name' must have 1 to 300 characters"));
        // a name is one line; a description may span lines
        ManagerApi.Res twoLines = api.post(token, null, "/api/manager/products",
                product(Fixtures.unique("two") + "\nlines", market, "1.00", null));
        assertThat(twoLines.toString(), twoLines.status(), is(422));
        assertThat(twoLines.detail(), is("Field 'name' contains control characters"));
        Map<String, Object> body = product(Fixtures.unique("described"), market, "1.00", null);
        body.put("description", "Line one\nLine two\twith a tab");
        ManagerApi.Res described = api.post(token, null, "/api/manager/products", body);
        assertThat(described.toString(), described.status(), is(201));
        assertThat(described.body().get("description").asText(), is("Line one\nLine two\twith a tab"));
        body.put("description", "Bell\u0007");
        assertThat(api.post(token, null, "/api/manager/products", body).detail(),
                is("Field 'description' contains control characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anotherMarketInTheBodyIs403AndUnknownIs422(String market) throws Exception {
        String other = other(market);
        String name = Fixtures.unique("refused");
        ManagerApi.Res foreign = api.post(of(market).token(), null, "/api/manager/products", product(name, other, "1.00", null));
        assertThat(foreign.status(), is(403));
        // also for an admin of both: the body must match the market the request serves
        assertThat(api.post(admin().token(), market, "/api/manager/products", product(name, other, "1.00", null)).status(),
                is(403));
        for (String bad : List.of("XX", "kg", "all", "")) {
            assertThat(bad, api.post(of(market).token(), null, "/api/manager/products", product(name, bad, "1.00", null))
                    .status(), is(422));
        }
        assertThat(ManagerApi.ownerCount("SELECT count(*) FROM products WHERE name = ?", name), is(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"x\",\"market\":\"M\",\"price\":\"12.345\"}", "{\"name\":\"x\",\"market\":\"M\",\"price\":12}",
            "{\"name\":\"x\",\"market\":\"M\",\"price\":\"-1\"}", "{\"name\":\"\",\"market\":\"M\",\"price\":\"1\"}",
            "{\"name\":\"x\",\"market\":\"M\",\"price\":\"1\",\"stock\":-1}", "{\"name\":\"x\",\"market\":\"M\"}",
            "{\"name\":\"x\",\"market\":\"M\",\"price\":\"1\",\"is_featured\":true}",
            "{\"name\":\"x\",\"price\":\"1\"}", "{\"name\":\"x\",\"market\":\"M\",\"price\":\"1\",\"category_id\":0}"})
    void invalidProductsAre422(String template) {
        for (String market : List.of("KG", "US")) {
            ManagerApi.Res res = api.post(of(market).token(), null, "/api/manager/products", template.replace("\"M\"", "\"" + market + "\""));
            assertThat(template + " " + res, res.status(), is(422));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aCategoryOfAnotherMarketIs422(String market) throws Exception {
        long foreignCategory = Fixtures.category(other(market), Fixtures.unique("cat"));
        ManagerApi.Res res = api.post(of(market).token(), null, "/api/manager/products",
                product(Fixtures.unique("p"), market, "1.00", foreignCategory));
        assertThat(res.status(), is(422));
    }

    @Test
    void allProductsAreCreatedByAnAdminAndPricedByEachMarket() throws Exception {
        String name = Fixtures.unique("everywhere");
        for (String market : List.of("KG", "US")) {
            assertThat(api.post(of(market).token(), null, "/api/manager/products", product(name, "ALL", "1.00", null)).status(),
                    is(403));
        }
        ManagerApi.Res created = api.post(admin().token(), "KG", "/api/manager/products", product(name, "ALL", "45000.00", null));
        assertThat(created.toString(), created.status(), is(201));
        long id = created.body().get("id").asLong();
        assertThat(created.body().get("market").asText(), is("ALL"));

        // the US manager sees it without a US price yet, and sets one
        ManagerApi.Res unpriced = api.get(us().token(), null, "/api/manager/products/" + id);
        assertThat(unpriced.toString(), unpriced.body().get("price").isNull(), is(true));
        assertThat(api.get(null, "US", "/api/products/" + id).status(), is(404));
        ManagerApi.Res priced = api.patch(us().token(), null, "/api/manager/products/" + id, Map.of("price", "499.00"));
        assertThat(priced.toString(), priced.status(), is(200));
        assertThat(priced.body().get("price").asText(), is("499.00"));
        assertThat(priced.body().get("currency").asText(), is("USD"));
        assertThat(api.patch(kg().token(), null, "/api/manager/products/" + id, Map.of("price", "44000.00")).status(), is(200));
        assertThat(ManagerApi.ownerStrings("SELECT market || ' ' || price || ' ' || currency FROM product_prices"
                + " WHERE product_id = ? ORDER BY market", id), contains("KG 44000.00 KGS", "US 499.00 USD"));
        assertThat(api.get(null, "US", "/api/products/" + id).body().get("price").asText(), is("499.00"));

        // the product row itself belongs to every market: single-market managers cannot change or deactivate it
        for (String market : List.of("KG", "US")) {
            assertThat(api.patch(of(market).token(), null, "/api/manager/products/" + id, Map.of("name", "mine")).status(),
                    is(403));
            assertThat(api.delete(of(market).token(), null, "/api/manager/products/" + id).status(), is(403));
        }
        assertThat(ManagerApi.ownerStrings("SELECT name || ' ' || is_active FROM products WHERE id = ?", id),
                contains(name + " true"));
        assertThat(api.patch(admin().token(), "US", "/api/manager/products/" + id, Map.of("stock", 9)).status(), is(200));
        assertThat(api.delete(admin().token(), "US", "/api/manager/products/" + id).status(), is(204));
        assertThat(ManagerApi.ownerStrings("SELECT stock || ' ' || is_active FROM products WHERE id = ?", id),
                contains("9 false"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void anotherMarketsProductIs404LikeAMissingOne(String market) throws Exception {
        String other = other(market);
        long foreign = Fixtures.product(other, Fixtures.unique("theirs"), null, 1, Map.of(other, "5.00"));
        String token = of(market).token();
        ManagerApi.Res missing = api.get(token, null, "/api/manager/products/" + Long.MAX_VALUE);
        for (ManagerApi.Res res : List.of(api.get(token, null, "/api/manager/products/" + foreign),
                api.patch(token, null, "/api/manager/products/" + foreign, Map.of("name", "stolen")),
                api.patch(token, null, "/api/manager/products/" + foreign, Map.of("price", "1.00")),
                api.delete(token, null, "/api/manager/products/" + foreign))) {
            assertThat(res.status(), is(404));
            assertThat(res.detail(), is(missing.detail()));
        }
        assertThat(ManagerApi.ownerStrings("SELECT is_active || ' ' || (SELECT count(*) FROM product_prices WHERE product_id = p.id)"
                + " FROM products p WHERE id = ?", foreign), contains("true 1"));
        assertThat(api.get(token, null, "/api/manager/products?size=100").ids(), not(hasItem(foreign)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void patchChangesOnlyTheSentFieldsAndDeleteDeactivates(String market) throws Exception {
        String token = of(market).token();
        Map<String, Object> body = product(Fixtures.unique("patch"), market, "10.00", null);
        body.put("description", "old");
        long id = api.post(token, null, "/api/manager/products", body).body().get("id").asLong();
        Map<String, Object> patch = new HashMap<>();
        patch.put("description", null);
        patch.put("stock", 0);
        patch.put("price", "11.5");
        ManagerApi.Res res = api.patch(token, null, "/api/manager/products/" + id, patch);
        assertThat(res.toString(), res.status(), is(200));
        assertThat(res.body().get("description").isNull(), is(true));
        assertThat(res.body().get("in_stock").asBoolean(), is(false));
        assertThat(res.body().get("price").asText(), is("11.50"));
        assertThat(res.body().get("name").asText(), is(body.get("name")));
        assertThat(ManagerApi.ownerStrings("SELECT (before->>'description') || ' ' || (after->>'price') FROM audit_log"
                + " WHERE entity = 'product' AND action = 'update' AND entity_id = ?", Long.toString(id)), contains("old 11.50"));
        assertThat(api.patch(token, null, "/api/manager/products/" + id, "{}").status(), is(422));
        assertThat(api.patch(token, null, "/api/manager/products/" + id, "{\"market\":\"ALL\"}").status(), is(422));

        assertThat(api.delete(token, null, "/api/manager/products/" + id).status(), is(204));
        assertThat(api.delete(token, null, "/api/manager/products/" + id).status(), is(204));
        assertThat(ManagerApi.ownerStrings("SELECT is_active::text FROM products WHERE id = ?", id), contains("false"));
        assertThat(api.get(null, market, "/api/products/" + id).status(), is(404));
        assertThat(api.get(token, null, "/api/manager/products/" + id).body().get("is_active").asBoolean(), is(false));
        assertThat(ManagerApi.ownerCount("SELECT count(*) FROM audit_log WHERE entity = 'product' AND action = 'deactivate'"
                + " AND entity_id = ?", Long.toString(id)), is(1L));
        assertThat(api.patch(token, null, "/api/manager/products/" + id, Map.of("is_active", true)).status(), is(200));
        assertThat(api.get(null, market, "/api/products/" + id).status(), is(200));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void listShowsTheMarketAndAllIncludingInactive(String market) throws Exception {
        String tag = Fixtures.unique("list");
        String other = other(market);
        long own = Fixtures.product(market, tag + " own", null, 0, Map.of(market, "1.00"));
        long all = Fixtures.product("ALL", tag + " all", null, 0, Map.of(market, "2.00", other, "3.00"));
        long theirs = Fixtures.product(other, tag + " theirs", null, 0, Map.of(other, "4.00"));
        ManagerApi.ownerUpdate("UPDATE products SET is_active = false WHERE id = ?", own);
        ManagerApi.Res res = api.get(of(market).token(), null, "/api/manager/products?q=" + tag);
        assertThat(res.ids(), containsInAnyOrder(own, all));
        assertThat(res.ids(), not(hasItem(theirs)));
        assertThat(res.body().get("total").asLong(), is(2L));
        assertThat(api.get(of(market).token(), null, "/api/manager/products?active=true&q=" + tag).ids(), contains(all));
        assertThat(api.get(of(market).token(), null, "/api/manager/products?active=maybe").status(), is(400));
    }

    // ---------------------------------------------------------------- categories

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void categoriesFollowTheSameRules(String market) throws Exception {
        String other = other(market);
        String token = of(market).token();
        ManagerApi.Res created = api.post(token, null, "/api/manager/categories", Map.of("name", "Shoes", "market", market));
        assertThat(created.toString(), created.status(), is(201));
        long id = created.body().get("id").asLong();
        assertThat(created.body().get("market").asText(), is(market));
        ManagerApi.Res child = api.post(token, null, "/api/manager/categories",
                Map.of("name", "Boots", "market", market, "parent_id", id));
        assertThat(child.status(), is(201));
        long childId = child.body().get("id").asLong();
        assertThat(api.patch(token, null, "/api/manager/categories/" + id, Map.of("parent_id", childId)).status(), is(422));
        assertThat(api.patch(token, null, "/api/manager/categories/" + id, Map.of("name", "Footwear", "position", 3)).body()
                .get("name").asText(), is("Footwear"));

        assertThat(api.post(token, null, "/api/manager/categories", Map.of("name", "x", "market", other)).status(), is(403));
        assertThat(api.post(token, null, "/api/manager/categories", Map.of("name", "x", "market", "ALL")).status(), is(403));
        ManagerApi.Res all = api.post(admin().token(), market, "/api/manager/categories", Map.of("name", "Global", "market", "ALL"));
        assertThat(all.status(), is(201));
        long allId = all.body().get("id").asLong();
        assertThat(api.patch(token, null, "/api/manager/categories/" + allId, Map.of("name", "mine")).status(), is(403));
        assertThat(api.delete(token, null, "/api/manager/categories/" + allId).status(), is(403));

        long foreign = Fixtures.category(other, Fixtures.unique("theirs"));
        assertThat(api.get(token, null, "/api/manager/categories/" + foreign).status(), is(404));
        assertThat(api.patch(token, null, "/api/manager/categories/" + foreign, Map.of("name", "stolen")).status(), is(404));
        assertThat(api.delete(token, null, "/api/manager/categories/" + foreign).status(), is(404));
        assertThat(api.post(token, null, "/api/manager/categories", Map.of("name", "x", "market", market, "parent_id", foreign))
                .status(), is(422));

        assertThat(api.delete(token, null, "/api/manager/categories/" + id).status(), is(204));
        assertThat(ManagerApi.ownerStrings("SELECT is_active::text FROM categories WHERE id IN (?, ?) ORDER BY id", id, foreign),
                contains("false", "true"));
        assertThat(api.get(null, market, "/api/categories?size=100").ids(), not(hasItem(id)));
        assertThat(ManagerApi.ownerStrings("SELECT action FROM audit_log WHERE entity = 'category' AND entity_id = ? ORDER BY id",
                Long.toString(id)), contains("create", "update", "deactivate"));
    }

    // ---------------------------------------------------------------- banners

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void bannersFollowTheSameRules(String market) throws Exception {
        String other = other(market);
        String token = of(market).token();
        Map<String, Object> banner = new HashMap<>(Map.of("market", market, "title", "Sale", "image_url",
                "https://cdn.example.com/b.jpg", "link_url", "/categories",
                "starts_at", "2026-01-01T00:00:00Z", "ends_at", "2036-01-01T00:00:00Z"));
        ManagerApi.Res created = api.post(token, null, "/api/manager/banners", banner);
        assertThat(created.toString(), created.status(), is(201));
        long id = created.body().get("id").asLong();
        ManagerApi.Res shown = api.get(null, market, "/api/banners?size=100");
        assertThat(shown.toString(), shown.ids(), hasItem(id));
        assertThat(api.get(null, other, "/api/banners?size=100").ids(), not(hasItem(id)));

        for (Map.Entry<String, Object> bad : List.of(Map.<String, Object>entry("image_url", "javascript:alert(1)"),
                Map.<String, Object>entry("link_url", "ftp://x"), Map.<String, Object>entry("ends_at", "2025-01-01T00:00:00Z"),
                Map.<String, Object>entry("starts_at", "tomorrow"), Map.<String, Object>entry("title", ""))) {
            Map<String, Object> body = new HashMap<>(banner);
            body.put(bad.getKey(), bad.getValue());
            assertThat(bad.toString(), api.post(token, null, "/api/manager/banners", body).status(), is(422));
        }
        Map<String, Object> foreignBody = new HashMap<>(banner);
        foreignBody.put("market", other);
        assertThat(api.post(token, null, "/api/manager/banners", foreignBody).status(), is(403));
        foreignBody.put("market", "ALL");
        assertThat(api.post(token, null, "/api/manager/banners", foreignBody).status(), is(403));
        assertThat(api.post(admin().token(), market, "/api/manager/banners", foreignBody).status(), is(201));

        Map<String, Object> clear = new HashMap<>();
        clear.put("link_url", null);
        clear.put("title", "Big sale");
        JsonNode changed = api.patch(token, null, "/api/manager/banners/" + id, clear).body();
        assertThat(changed.get("link_url").isNull(), is(true));
        assertThat(changed.get("title").asText(), is("Big sale"));
        assertThat(api.patch(token, null, "/api/manager/banners/" + id, Map.of("ends_at", "2025-06-01T00:00:00Z")).status(),
                is(422));

        long foreign = Fixtures.banner(other, Fixtures.unique("theirs"));
        assertThat(api.get(token, null, "/api/manager/banners/" + foreign).status(), is(404));
        assertThat(api.patch(token, null, "/api/manager/banners/" + foreign, Map.of("title", "stolen")).status(), is(404));
        assertThat(api.delete(token, null, "/api/manager/banners/" + foreign).status(), is(404));

        assertThat(api.delete(token, null, "/api/manager/banners/" + id).status(), is(204));
        assertThat(api.get(null, market, "/api/banners?size=100").ids(), not(hasItem(id)));
        assertThat(ManagerApi.ownerStrings("SELECT is_active::text FROM banners WHERE id IN (?, ?) ORDER BY id", id, foreign),
                contains("false", "true"));
    }

    /** The policies refuse the same writes when the API's own checks are skipped. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void policiesRefuseOtherMarketsAndAllRowsToSingleMarketManagers(String market) throws Exception {
        String other = other(market);
        long foreign = Fixtures.product(other, Fixtures.unique("theirs"), null, 1, Map.of(other, "5.00"));
        long all = Fixtures.product("ALL", Fixtures.unique("all"), null, 1, Map.of(market, "5.00"));
        long own = Fixtures.product(market, Fixtures.unique("own"), null, 1, Map.of(market, "5.00"));
        try (Connection c = TestDatabase.get().app()) {
            Sql.begin(c, "market_manager", market, of(market).id(), null);
            assertThat(Sql.sqlState(c, "INSERT INTO products (market, name) VALUES (?, 'x')", other), is("42501"));
            assertThat(Sql.sqlState(c, "INSERT INTO products (market, name) VALUES ('ALL', 'x')"), is("42501"));
            assertThat(Sql.sqlState(c, "INSERT INTO categories (market, name) VALUES (?, 'x')", other), is("42501"));
            assertThat(Sql.sqlState(c, "INSERT INTO banners (market, title, image_url) VALUES ('ALL', 'x', 'https://x')"),
                    is("42501"));
            assertThat(Sql.update(c, "UPDATE products SET name = 'x' WHERE id IN (?, ?)", foreign, all), is(0));
            assertThat(Sql.sqlState(c, "UPDATE products SET market = ? WHERE id = ?", other, own), is("42501"));
            assertThat(Sql.sqlState(c, "UPDATE products SET market = 'ALL' WHERE id = ?", own), is("42501"));
            assertThat(Sql.sqlState(c, "INSERT INTO product_prices (product_id, market, price) VALUES (?, ?, 1)", all, other),
                    is("42501"));
            c.rollback();
            // the manager of the other market is refused in this market at the database too
            Sql.begin(c, "market_manager", market, of(other).id(), null);
            assertThat(Sql.count(c, "SELECT count(*) FROM products"), is(0L));
            assertThat(Sql.sqlState(c, "INSERT INTO products (market, name) VALUES (?, 'x')", market), is("42501"));
            c.rollback();
        }
    }
}
