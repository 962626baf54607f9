package marketbackend.db;

import java.util.List;

import org.junit.jupiter.api.AfterAll;

import marketbackend.AppConfig;
import marketbackend.support.PgBouncer;
import marketbackend.support.TestDatabase;

/**
 * {@link PooledContextTest} through a transaction-mode PgBouncer, from two server pools at once (two
 * instances' worth) sharing two PostgreSQL connections: consecutive transactions of one pool land on
 * different backends and each backend serves both pools, so any context that outlived its transaction
 * would show up in the next one, whoever sent it.
 */
class PooledContextThroughPgBouncerTest extends PooledContextTest {
    private PgBouncer bouncer;

    @Override
    List<Db> openPools() throws Exception {
        AppConfig direct = TestDatabase.get().config();
        bouncer = PgBouncer.start(direct.dbUrl(), direct.dbUser(), direct.dbPassword(), 2);
        AppConfig pooled = direct.behindPooler(bouncer.url()).withPoolSize(3);
        return List.of(Databases.requestPool(pooled), Databases.requestPool(pooled));
    }

    @AfterAll
    void stopPooler() {
        bouncer.close();
    }
}
