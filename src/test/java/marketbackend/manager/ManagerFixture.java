package marketbackend.manager;

import java.sql.SQLException;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.BeforeAll;

import marketbackend.Server;
import marketbackend.support.Fixtures;
import marketbackend.support.TestApp;

/**
 * What every manager HTTP test starts from: the shipped routing on a test server, a manager client,
 * and three managers made once per run, each with a token: of KG only, of US only, and an admin of
 * both (also used by the revenue tests). A test that changes a manager's markets or record makes its own with {@link #newManager}.
 */
@ServerTest
public abstract class ManagerFixture {
    /** A manager's user id, home market (of their phone) and token. */
    public record Mgr(long id, String home, String token) {
    }

    private static Mgr kg;
    private static Mgr us;
    private static Mgr admin;

    final ManagerApi api;

    protected ManagerFixture(Http1Client client) {
        this.api = new ManagerApi(client);
    }

    @SetUpRoute
    public static void routing(HttpRouting.Builder r) {
        Server.routing(r, TestApp.get());
    }

    @BeforeAll
    public static synchronized void managers() throws SQLException {
        if (kg == null) {
            kg = newManager("KG", "manager", "KG");
            us = newManager("US", "manager", "US");
            admin = newManager("KG", "admin", "KG", "US");
        }
    }

    public static Mgr kg() {
        return kg;
    }

    public static Mgr us() {
        return us;
    }

    /** Manages KG and US. */
    public static Mgr admin() {
        return admin;
    }

    /** The single-market manager of {@code market}. */
    public static Mgr of(String market) {
        return market.equals("KG") ? kg : us;
    }

    /** A manager of exactly {@code markets} whose phone is of {@code home}, logged in. */
    static Mgr newManager(String home, String role, String... markets) throws SQLException {
        long id = Fixtures.manager(home, role, markets);
        return new Mgr(id, home, ManagerApi.token(id, home));
    }

    public static String other(String market) {
        return market.equals("KG") ? "US" : "KG";
    }
}
