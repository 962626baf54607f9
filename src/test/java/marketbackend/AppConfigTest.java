package marketbackend;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The settings read outside the request path: defaults, values, and the one line a bad value gives. */
class AppConfigTest {

    @Test
    void defaults() {
        AppConfig d = AppConfig.fromEnv(Map.of());
        assertThat(d.listTotals(), is(new AppConfig.ListTotals(Duration.ofSeconds(5), Duration.ofSeconds(3))));
        assertThat(d.revenueSnapshotInterval(), is(Duration.ofMinutes(15)));
        assertThat(d.jsonLogs(), is(false));
        assertThat(d.embedded(), is(new AppConfig.Embedded(false, true, Path.of("data/embedded-postgres"))));
        assertThat(d.jwtSecret(), is(nullValue()));
        assertThat(d.db().ownerUrl(), is("jdbc:postgresql://localhost:5432/market"));
    }

    @Test
    void values() {
        AppConfig c = AppConfig.fromEnv(Map.of("LIST_TOTALS_TTL_MS", "0", "REVENUE_SNAPSHOT_INTERVAL_MINUTES", "0",
                "LOG_FORMAT", "json", "DB_URL", "embedded", "EMBEDDED_PG_DIR", "/var/lib/pg",
                "DB_MIGRATION_URL", " jdbc:postgresql://db:5432/market "));
        assertThat(c.listTotals(), is(new AppConfig.ListTotals(Duration.ZERO, Duration.ZERO)));
        assertThat(c.revenueSnapshotInterval(), is(Duration.ZERO));
        assertThat(c.jsonLogs(), is(true));
        assertThat(c.embedded(), is(new AppConfig.Embedded(true, false, Path.of("/var/lib/pg"))));
        assertThat(c.db().ownerUrl(), is("jdbc:postgresql://db:5432/market"));
    }

    @Test
    void changesAreReadLikeTheEnvironment() {
        Map<String, String> env = Map.of("DB_POOL_SIZE", "4", "APP_ENV", "dev");
        AppConfig changed = AppConfig.fromEnv(env, Map.of("DB_POOL_SIZE", "1", "MIGRATE_ON_START", "false"));
        assertThat(changed.db().poolSize(), is(1));
        assertThat(changed.db().migrateOnStart(), is(false));
        assertThat(changed.jwtSecret(), is(AppConfig.DEV_JWT_SECRET));
        assertThrows(IllegalStateException.class, () -> AppConfig.fromEnv(env, Map.of("DB_POOL_SIZE", "one")));
    }

    @ParameterizedTest
    @CsvSource({
            "LIST_TOTALS_TTL_MS, -1, 'LIST_TOTALS_TTL_MS must be a whole number >= 0, got: -1'",
            "REVENUE_SNAPSHOT_INTERVAL_MINUTES, 1441,"
                    + " 'REVENUE_SNAPSHOT_INTERVAL_MINUTES must be a number of minutes from 0 to 1440, got: 1441'",
            "REVENUE_SNAPSHOT_INTERVAL_MINUTES, often,"
                    + " 'REVENUE_SNAPSHOT_INTERVAL_MINUTES must be a number of minutes from 0 to 1440, got: often'",
            "LOG_FORMAT, xml, 'LOG_FORMAT must be text or json, got: xml'",
            "SERVER_PORT, http, 'SERVER_PORT must be a number, got: http'"})
    void badValuesStopTheProcessWithOneLine(String name, String value, String message) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AppConfig.fromEnv(Map.of(name, value)));
        assertThat(e.getMessage(), is(message));
    }
}
