package marketbackend.db;

import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Fixtures;
import marketbackend.support.Sql;

import static marketbackend.db.Rls.as;
import static marketbackend.db.Rls.customer;
import static marketbackend.db.Rls.guest;
import static marketbackend.db.Rls.manager;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The two SECURITY DEFINER helpers a manager request needs before its market is known return the
 * caller's own record and nothing else, and only managers may call them.
 */
class ManagerAccessHelperTest {

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aManagerReadsOnlyTheirOwnRecordWithoutAMarket(String market) throws SQLException {
        long me = Fixtures.manager(market, "manager", market);
        long admin = Fixtures.manager(market, "admin", "KG", "US");
        as(manager(null, me), c -> {
            assertEquals(List.of("manager|" + market), Sql.strings(c,
                    "SELECT role || '|' || array_to_string(markets, ',') FROM app.manager_access()"));
            assertEquals(List.of(market), Sql.strings(c, "SELECT unnest(app.my_markets())"));
        });
        as(manager(null, admin), c -> assertEquals(List.of("admin|KG,US"), Sql.strings(c,
                "SELECT role || '|' || array_to_string(markets, ',') FROM app.manager_access()")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aUserWhoIsNotAManagerGetsNoRecord(String market) throws SQLException {
        long customerId = Fixtures.user(market);
        as(manager(null, customerId), c -> {
            assertEquals(0, Sql.count(c, "SELECT count(*) FROM app.manager_access()"));
            assertEquals(0, Sql.count(c, "SELECT cardinality(app.my_markets())"));
        });
        as(manager(market, null), c -> assertEquals(0, Sql.count(c, "SELECT count(*) FROM app.manager_access()")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void guestsAndCustomersMayNotCallThem(String market) throws SQLException {
        long customerId = Fixtures.user(market);
        as(guest(market), c -> {
            assertEquals(Rls.DENIED, Sql.sqlState(c, "SELECT * FROM app.manager_access()"));
            assertEquals(Rls.DENIED, Sql.sqlState(c, "SELECT app.my_markets()"));
        });
        as(customer(market, customerId), c -> {
            assertEquals(Rls.DENIED, Sql.sqlState(c, "SELECT * FROM app.manager_access()"));
            assertEquals(Rls.DENIED, Sql.sqlState(c, "SELECT app.my_markets()"));
        });
    }
}
