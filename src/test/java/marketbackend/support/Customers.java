package marketbackend.support;

import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/** Customers for HTTP tests: a user row (as the owner) and a token as the login would issue it. */
public final class Customers {
    private Customers() {
    }

    public record Customer(long id, String market, String token) {
    }

    public static Customer create(String market) {
        try {
            long id = Fixtures.user(market);
            return new Customer(id, market, Api.token(id, market));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** An address and a card of a customer, added through the API: what a checkout needs. */
    public record Payable(long address, long card) {
    }

    public static Payable payable(Api api, Customer c) {
        return new Payable(address(api, c), card(api, c));
    }

    /** A new address of {@code c} in the format of its market. */
    public static long address(Api api, Customer c) {
        Map<String, Object> body = "KG".equals(c.market())
                ? Map.of("line1", "пр. Чуй, 1", "city", "Бишкек", "region", "Bishkek", "postal_code", "720001")
                : Map.of("line1", "350 5th Ave", "city", "New York", "region", "NY", "postal_code", "10001");
        return api.post("/api/addresses", c.token(), body).expect(201).get("id").asLong();
    }

    private static long card(Api api, Customer c) {
        // '_' keeps every digit run under 13: a random hex run can pass Luhn and be refused as a card number
        return api.post("/api/payment-methods", c.token(), Map.of("token", "tok_" + UUID.randomUUID().toString()
                .replace("-", "_"), "brand", "visa", "last4", "4242", "exp_month", 12, "exp_year", 2099)).expect(201)
                .get("id").asLong();
    }

    /** The other market of the two the platform opens with. */
    public static String other(String market) {
        return "KG".equals(market) ? "US" : "KG";
    }
}
