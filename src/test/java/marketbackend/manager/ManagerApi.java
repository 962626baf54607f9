package marketbackend.manager;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;

import marketbackend.support.Api;
import marketbackend.support.Sql;
import marketbackend.support.TestDatabase;
import marketbackend.value.JsonCodec;

/** HTTP calls of a manager (token + optional X-Market) and the owner-side fixtures manager tests need. */
final class ManagerApi {
    private final Api http;

    ManagerApi(Http1Client client) {
        this.http = new Api(client);
    }

    /** A status, the parsed body (null when empty) and a few headers. */
    record Res(int status, JsonNode body, String market, String contentType, String location, String requestId) {
        String detail() {
            return body == null || body.get("detail") == null ? null : body.get("detail").asText();
        }

        List<JsonNode> items() {
            List<JsonNode> out = new ArrayList<>();
            body.get("items").forEach(out::add);
            return out;
        }

        List<Long> ids() {
            return items().stream().map(n -> n.get("id").asLong()).toList();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** A manager token for a user of {@code homeMarket} (the market of their phone). */
    static String token(long userId, String homeMarket) {
        return Api.managerToken(userId, homeMarket);
    }

    static String customerToken(long userId, String market) {
        return Api.token(userId, market);
    }

    Res get(String token, String market, String uri) {
        return call(Method.GET, token, market, uri, null);
    }

    Res post(String token, String market, String uri, Object body) {
        return call(Method.POST, token, market, uri, body);
    }

    Res put(String token, String market, String uri, Object body) {
        return call(Method.PUT, token, market, uri, body);
    }

    Res patch(String token, String market, String uri, Object body) {
        return call(Method.PATCH, token, market, uri, body);
    }

    Res delete(String token, String market, String uri) {
        return call(Method.DELETE, token, market, uri, null);
    }

    /** @param market X-Market, or null for none; @param body a JSON string or an object to serialize */
    Res call(Method method, String token, String market, String uri, Object body) {
        Api.Res res = http.call(method, uri, token, body, market == null ? Map.of() : Map.of("X-Market", market));
        try {
            return new Res(res.status(), res.body().isEmpty() ? null : JsonCodec.MAPPER.readTree(res.body()), res.header("X-Market"),
                    Objects.requireNonNullElse(res.header("Content-Type"), ""), res.header("Location"), res.header("X-Request-Id"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- owner-side fixtures

    /** An order of {@code userId} written as the owner; the database sets market, currency and number. */
    static long order(long userId, String total, String status, OffsetDateTime orderDate) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            return Sql.insertId(c, """
                    INSERT INTO orders (user_id, total_amount, status, order_date)
                    VALUES (?, ?, ?, ?) RETURNING id""", userId, new BigDecimal(total), status, orderDate);
        }
    }

    static void orderItem(long orderId, String name, int quantity, String unitPrice) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            BigDecimal unit = new BigDecimal(unitPrice);
            Sql.update(c, """
                    INSERT INTO order_items (order_id, product_name, quantity, unit_price, line_total)
                    VALUES (?, ?, ?, ?, ?)""", orderId, name, quantity, unit, unit.multiply(BigDecimal.valueOf(quantity)));
        }
    }

    static long ownerCount(String sql, Object... params) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            return Sql.count(c, sql, params);
        }
    }

    static int ownerUpdate(String sql, Object... params) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            return Sql.update(c, sql, params);
        }
    }

    static List<String> ownerStrings(String sql, Object... params) throws SQLException {
        try (Connection c = TestDatabase.get().owner()) {
            return Sql.strings(c, sql, params);
        }
    }
}
