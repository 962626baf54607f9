package marketbackend.db;

import org.junit.jupiter.api.AfterAll;

import marketbackend.AppConfig;
import marketbackend.support.PgBouncer;
import marketbackend.support.TestDatabase;

/**
 * {@link NextRequestTest} through a transaction-mode PgBouncer with ONE server connection: every
 * transaction, whichever pool sends it, runs on the same backend. pgjdbc prepares no named
 * statement here (prepareThreshold=0), so the planted names are the attacker's guesses; what the
 * database removes at the context statement is what keeps the backend clean for the next client.
 */
class NextRequestThroughPgBouncerTest extends NextRequestTest {
    private PgBouncer bouncer;

    @Override
    Db openPool(int size) throws Exception {
        if (bouncer == null) {
            AppConfig direct = TestDatabase.get().config();
            bouncer = PgBouncer.start(direct.db().url(), direct.db().user(), direct.db().password(), 1);
        }
        return Databases.requestPool(PgBouncer.behind(bouncer.url(), size));
    }

    @Override
    boolean namedStatements() {
        return false;
    }

    @AfterAll
    void stopPooler() {
        bouncer.close();
    }
}
