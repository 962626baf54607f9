package marketbackend;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import marketbackend.db.Bootstrap;
import marketbackend.support.Launch;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Configuration mistakes at start-up: one line saying what to do, a non-zero exit, no stack trace. */
class StartupTest {
    private static final String SECRET = "startup-test-secret-0123456789-0123456789";

    private static Map<String, String> env(String dbUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("DB_URL", dbUrl);
        env.put("JWT_SECRET", SECRET);
        // the key the run's other servers sign with: `migrate` installs exactly the configured keys
        env.put("DB_CONTEXT_KEY", TestDatabase.get().config().contextKeys().current());
        env.put("SERVER_HOST", "127.0.0.1");
        env.put("SERVER_PORT", "0");
        env.put("DB_PASSWORD", TestDatabase.get().config().db().password());
        env.put("DB_MIGRATION_PASSWORD", TestDatabase.get().config().db().migrationPassword());
        return env;
    }

    /** Exactly one line on stderr, starting with the program's name, and no exception anywhere. */
    private static String oneLine(Launch.Result r) {
        assertThat(r.toString(), r.exit(), is(1));
        String all = r.out() + r.err();
        assertThat(all, not(containsString("Exception")));
        assertThat(all, not(containsString("\tat ")));
        String err = r.err().strip();
        assertMatches(err, "market-backend: [^\\n]+");
        return err;
    }

    @Test
    void busyPortIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Map<String, String> env = env(TestDatabase.get().config().db().url());
            env.put("SERVER_PORT", Integer.toString(taken.getLocalPort()));
            String line = oneLine(Launch.run(120, env));
            assertThat(line, containsString("Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use"));
            assertThat(line, containsString("SERVER_PORT"));
        }
    }

    @Test
    void missingDatabaseNamesBootstrap() throws Exception {
        String url = Bootstrap.withDatabase(TestDatabase.get().config().db().url(), "market_never_bootstrapped");
        String line = oneLine(Launch.run(120, env(url)));
        assertThat(line, containsString("The database market_never_bootstrapped does not exist"));
        assertThat(line, containsString("bootstrap"));
    }

    @Test
    void unreachableDatabaseNamesBootstrapWithoutRetrying() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        String line = oneLine(Launch.run(120, env("jdbc:postgresql://127.0.0.1:" + closed + "/market")));
        assertThat(line, containsString("No PostgreSQL answers at 127.0.0.1:" + closed + " (DB_URL)"));
        assertThat(line, containsString("bootstrap"));
        assertThat(line, containsString("DB_URL=embedded"));
    }

    @Test
    void missingJwtSecretIsOneLine() throws Exception {
        Map<String, String> env = env(TestDatabase.get().config().db().url());
        env.remove("JWT_SECRET");
        assertThat(oneLine(Launch.run(120, env)), containsString("JWT_SECRET is not set"));
    }

    @Test
    void aMigratedSchemaSaysItsVersion() throws Exception {
        Launch.Result r = Launch.run(180, env(TestDatabase.get().config().db().url()), "migrate");
        assertThat(r.toString(), r.exit(), is(0));
        assertMatches(r.out(), "(?s)Schema up to date at version \\d+\\R");
    }

    @Test
    void smsOutboxWithoutAPhonePrintsItsUsageBeforeAnyDatabase() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        Launch.Result r = Launch.run(120, env("jdbc:postgresql://127.0.0.1:" + closed + "/market"), "sms-outbox");
        assertThat(r.toString(), r.exit(), is(2));
        assertThat(r.err(), containsString("Usage: sms-outbox PHONE"));
        assertThat(r.err(), not(containsString("PostgreSQL")));
    }

    @Test
    void aFailedMigrationIsOneLineAndVerboseShowsTheTrace() throws Exception {
        String db = TestDatabase.get().name() + "_migfail";
        try (var c = TestDatabase.get().superuser(); var st = c.createStatement()) {
            // owned by the superuser: market_owner may not create its tables there
            st.execute("CREATE DATABASE " + db);
        }
        try {
            Map<String, String> env = env(Bootstrap.withDatabase(TestDatabase.get().config().db().url(), db));
            String line = oneLine(Launch.run(180, env, "migrate"));
            assertThat(line, containsString("migrate failed: "));
            assertThat(line, containsString("permission denied"));
            Launch.Result verbose = Launch.run(180, env, "migrate", "--verbose");
            assertThat(verbose.exit(), is(1));
            assertThat(verbose.err(), containsString("\tat "));
        } finally {
            try (var c = TestDatabase.get().superuser(); var st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private static void assertMatches(String actual, String regex) {
        assertThat(actual + " matches " + regex, actual.matches(regex), is(true));
    }
}
