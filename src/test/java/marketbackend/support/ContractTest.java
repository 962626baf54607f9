package marketbackend.support;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The contract check fails where it should: each case breaks the document in one way. */
class ContractTest {
    private static final String PRODUCT = """
            {"id":1,"market":"KG","category_id":null,"name":"n","description":null,"price":"1.00","currency":"KGS",\
            "stock":1,"in_stock":true}""";

    private static Contract.Exchange get(String path, String query, int status, Map<String, List<String>> headers,
                                         String body) {
        return new Contract.Exchange("GET", path, query, Map.of(), null, status, headers, body);
    }

    private static Map<String, List<String>> json(String... extra) {
        Map<String, List<String>> h = new java.util.LinkedHashMap<>();
        h.put("Content-Type", List.of("application/json"));
        h.put("X-Request-Id", List.of("r-1"));
        h.put("X-Market", List.of("KG"));
        for (int i = 0; i < extra.length; i += 2) {
            h.put(extra[i], List.of(extra[i + 1]));
        }
        return h;
    }

    private static void refused(Contract.Exchange x, String why) {
        AssertionError e = assertThrows(AssertionError.class, () -> Contract.check(x));
        assertThat(e.getMessage(), containsString(why));
    }

    @Test
    void aDocumentedAnswerPasses() {
        Contract.check(get("/api/products/1", null, 200, json(), PRODUCT));
    }

    @Test
    void anUndocumentedStatusFails() {
        refused(get("/api/products/1", null, 409, json(), "{}"), "status 409");
    }

    @Test
    void anUndeclaredHeaderFails() {
        refused(get("/api/products/1", null, 200, json("X-Debug", "1"), PRODUCT), "X-Debug");
    }

    @Test
    void aFieldTheDocumentDoesNotNameFails() {
        refused(get("/api/products/1", null, 200, json(), PRODUCT.replace("}", ",\"cost\":\"0.50\"}")), "cost");
    }

    @Test
    void aWrongTypeFails() {
        refused(get("/api/products/1", null, 200, json(), PRODUCT.replace("\"stock\":1", "\"stock\":\"1\"")), "stock");
    }

    @Test
    void aRequestTheDocumentRefusesButTheServerAcceptedFails() {
        String page = "{\"items\":[],\"page\":1,\"size\":20,\"total\":0}";
        Contract.Exchange bogus = new Contract.Exchange("GET", "/api/manager/audit-log", "entity=bogus",
                Map.of("Authorization", List.of("Bearer t")), null, 200, json(), page);
        refused(bogus, "entity");
    }

    @Test
    void aProblemWithoutItsRequestIdFails() {
        Map<String, List<String>> h = json();
        h.put("Content-Type", List.of("application/problem+json"));
        refused(get("/api/products/1", null, 404, h,
                "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"Product not found\"}"),
                "request_id");
    }
}
