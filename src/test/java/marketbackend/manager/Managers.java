package marketbackend.manager;

import java.sql.SQLException;

import marketbackend.support.Fixtures;

/** The three managers every manager test uses: KG only, US only, and an admin of both markets. */
record Managers(Mgr kg, Mgr us, Mgr admin) {

    /** A manager's user id, home market (of their phone) and token. */
    record Mgr(long id, String home, String token) {
    }

    static Managers create() throws SQLException {
        return new Managers(mgr("KG", "manager", "KG"), mgr("US", "manager", "US"), mgr("KG", "admin", "KG", "US"));
    }

    /** The single-market manager of {@code market}. */
    Mgr of(String market) {
        return market.equals("KG") ? kg : us;
    }

    static Mgr mgr(String home, String role, String... markets) throws SQLException {
        long id = Fixtures.manager(home, role, markets);
        return new Mgr(id, home, ManagerApi.token(id, home));
    }

    static String other(String market) {
        return market.equals("KG") ? "US" : "KG";
    }
}
