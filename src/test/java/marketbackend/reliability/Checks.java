package marketbackend.reliability;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import marketbackend.support.Sql;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** What every refused request must look like, and the row counts that prove it wrote nothing. */
final class Checks {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What must never reach a client: stack traces, exception names, SQL, driver or framework internals. */
    private static final Pattern LEAK = Pattern.compile(
            "exception|\\tat |\\bat (java|io\\.helidon|marketbackend|org\\.)|org\\.postgresql|psql|sqlstate|jdbc"
                    + "|\\bselect\\b.*\\bfrom\\b|\\binsert into\\b|\\bupdate \\w+ set\\b|syntax error|relation \""
                    + "|violates|constraint|pg_|market_(app|owner|guest|customer|manager)|hikari|dbclient",
            Pattern.CASE_INSENSITIVE);

    /** Every table of the schema a request could write to. */
    static final List<String> TABLES = List.of("users", "verification_codes", "sms_outbox", "addresses",
            "payment_methods", "notifications", "categories", "products", "product_prices", "banners", "carts",
            "cart_items", "wishlists", "wishlist_items", "orders", "order_items", "revenue_snapshots",
            "store_managers", "store_manager_markets", "manager_settings", "audit_log", "order_counters");

    private Checks() {
    }

    /** A 4xx RFC 9457 answer: problem+json, a JSON body with status and title, nothing internal. */
    static JsonNode clientProblem(int status, String contentType, String body, String what) {
        assertThat(what, status, allOf(greaterThanOrEqualTo(400), lessThanOrEqualTo(499)));
        return problem(status, contentType, body, what);
    }

    /** An RFC 9457 answer of the given status class. */
    static JsonNode problem(int status, String contentType, String body, String what) {
        assertThat(what + ": content type", contentType, startsWith("application/problem+json"));
        JsonNode p;
        try {
            p = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(what + ": problem body is not JSON: " + body, e);
        }
        assertThat(what + ": " + body, p.isObject(), is(true));
        assertThat(what + ": status member", p.get("status"), notNullValue());
        assertThat(what + ": status member", p.get("status").asInt(), is(status));
        assertThat(what + ": title member", p.get("title"), notNullValue());
        assertThat(what + ": title is text", p.get("title").isTextual(), is(true));
        noLeak(body, what);
        return p;
    }

    static void noLeak(String body, String what) {
        var m = LEAK.matcher(body);
        if (m.find()) {
            throw new AssertionError(what + ": the answer shows internals ('" + m.group() + "'): " + body);
        }
    }

    /** Row counts of every table, read as the owner (no policy hides anything). */
    static Map<String, Long> rowCounts(Connection owner) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String t : TABLES) {
            counts.put(t, Sql.count(owner, "SELECT count(*) FROM " + t));
        }
        return counts;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
