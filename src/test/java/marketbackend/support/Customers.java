package marketbackend.support;

import java.sql.SQLException;

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

    /** The other market of the two the platform opens with. */
    public static String other(String market) {
        return "KG".equals(market) ? "US" : "KG";
    }
}
