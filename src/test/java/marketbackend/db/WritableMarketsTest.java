package marketbackend.db;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import marketbackend.support.Sql;

import static marketbackend.db.Rls.as;
import static marketbackend.db.Rls.customer;
import static marketbackend.db.Rls.guest;
import static marketbackend.db.Rls.manager;
import static marketbackend.db.Rls.other;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * app.writable_markets() (R__20_catalog.sql), the catalog write rule that the 12 write policies of
 * R__20_catalog.sql and the server's check both call: the market served if the manager manages it,
 * and ALL only for a manager of every market; nothing for anyone else.
 */
class WritableMarketsTest {
    private final World w = World.get();

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aManagerOfOneMarketWritesThatMarketOnlyWhileServingIt(String market) throws SQLException {
        long manager = w.side(market).manager;
        assertEquals(List.of(market), writable(manager(market, manager)));
        assertEquals(List.of(), writable(manager(other(market), manager)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void aManagerOfEveryMarketAlsoWritesAll(String market) throws SQLException {
        assertEquals(List.of(market, "ALL"), writable(manager(market, w.managerBoth)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void noMarketForAManagerWithoutAMarketOrAUserWhoManagesNone(String market) throws SQLException {
        assertEquals(List.of(), writable(manager(null, w.managerBoth)));
        assertEquals(List.of(), writable(manager(market, w.side(market).customerA)));
    }

    /** They may not read who manages what, so the question itself is refused: no answer, not even {}. */
    @ParameterizedTest
    @ValueSource(strings = {"KG", "US"})
    void guestsAndCustomersGetNoAnswer(String market) throws SQLException {
        for (Rls.Ctx ctx : List.of(guest(market), customer(market, w.side(market).customerA))) {
            as(ctx, c -> assertEquals(Rls.DENIED, Sql.sqlState(c, "SELECT app.writable_markets()"), ctx.role()));
        }
    }

    private static List<String> writable(Rls.Ctx ctx) throws SQLException {
        List<String> out = new ArrayList<>();
        as(ctx, c -> out.addAll(Sql.strings(c, "SELECT unnest(app.writable_markets())")));
        return out;
    }
}
