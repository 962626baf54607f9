package marketbackend;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import marketbackend.db.Bootstrap;
import marketbackend.db.EmbeddedCluster;
import marketbackend.support.Launch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The embedded default: one command serves the demo shop on a PostgreSQL 17 of its own, kept in
 * EMBEDDED_PG_DIR; as root (how these machines run) the cluster runs as an unprivileged OS user.
 */
class EmbeddedDefaultTest {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @Test
    void oneCommandServesTheDemoShopAndKeepsItsData() throws Exception {
        Path parent = Files.createTempDirectory("market-embedded-default-");
        // the cluster's OS user must reach the folder (a temporary directory is closed to others)
        Files.setPosixFilePermissions(parent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dir = parent.resolve("pg");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Map<String, String> env = Map.of("DB_URL", "embedded", "EMBEDDED_PG_DIR", dir.toString(),
                "SERVER_HOST", "127.0.0.1", "SERVER_PORT", Integer.toString(port),
                "JWT_SECRET", "embedded-test-secret-0123456789-0123456789",
                "DB_CONTEXT_KEY", "embedded-test-context-key-0123456789-0123456789");
        Process serve = Launch.builder(env).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> serving = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("market-backend serving on")) {
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        try {
            boolean up = serving.get(300, TimeUnit.SECONDS);
            assertThat(String.join("\n", output), up, is(true));
            assertThat(String.join("\n", output), containsString("embedded PostgreSQL 17 on 127.0.0.1:"));
            assertThat(String.join("\n", output), containsString("Demo data: "));
            HttpResponse<String> us = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/products")).header("X-Market", "US").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(us.statusCode(), is(200));
            JsonNode items = new ObjectMapper().readTree(us.body()).get("items");
            assertThat(items.size(), greaterThan(0));
            items.forEach(p -> assertThat(p.get("currency").asText(), is("USD")));
            if (ROOT) {
                assertThat((int) Files.getAttribute(dir.resolve("pgdata"), "unix:uid"), not(is(0)));
            }
            // the binaries are unpacked into the cluster's folder, not the temporary one
            try (var children = Files.list(dir)) {
                assertThat(children.anyMatch(p -> p.getFileName().toString().startsWith("postgres-" + EmbeddedCluster.MAJOR + "-")
                        && Files.isExecutable(p.resolve("bin/postgres"))), is(true));
            }
            // a second terminal's command, with nothing configured, finds the cluster this server uses
            Launch.Result list = Launch.run(180, secondTerminal(dir), "market", "list");
            assertThat(list.toString(), list.exit(), is(0));
            assertThat(list.out(), containsString("Kyrgyzstan"));
        } finally {
            serve.destroy();
            serve.waitFor(60, TimeUnit.SECONDS);
        }
        // the shutdown hook stopped the cluster; its data stays for the next command
        assertThat(Files.exists(dir.resolve("pgdata/postmaster.pid")), is(false));
        if (answers5432()) {
            // with a PostgreSQL at :5432 the command would silently go there: one line says to start the server
            Launch.Result stopped = Launch.run(180, secondTerminal(dir), "market", "list");
            assertThat(stopped.toString(), stopped.exit(), is(1));
            assertThat(stopped.err().strip(), containsString("which is not running now: start that server first"));
            assertThat(stopped.err().strip().lines().count(), is(1L));
        }
        Launch.Result again = Launch.run(300, Map.of("DB_URL", "embedded", "EMBEDDED_PG_DIR", dir.toString(),
                "DB_CONTEXT_KEY", "embedded-test-context-key-0123456789-0123456789"), "migrate");
        assertThat(again.toString(), again.exit(), is(0));
        assertThat(again.out(), containsString("Schema up to date at version "));
        assertThat(again.out(), not(containsString("creating a cluster")));
        try (var paths = Files.walk(parent)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static Map<String, String> secondTerminal(Path dir) {
        return Map.of("EMBEDDED_PG_DIR", dir.toString(), "DB_CONTEXT_KEY", "embedded-test-context-key-0123456789-0123456789");
    }

    private static boolean answers5432() {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("localhost", 5432), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Root in a user namespace (`unshare -rn`) has no other user to run PostgreSQL as: one line, no exception. */
    @Test
    void rootWithoutAnotherUserIsOneLine() throws Exception {
        Path parent = Files.createTempDirectory("market-embedded-userns-");
        try {
            ProcessBuilder pb = Launch.builder(Map.of("DB_URL", "embedded", "EMBEDDED_PG_DIR", parent.resolve("pg").toString(),
                    "DB_CONTEXT_KEY", "embedded-test-context-key-0123456789-0123456789"), "migrate");
            List<String> cmd = new java.util.ArrayList<>(List.of("unshare", "-rn"));
            cmd.addAll(pb.command());
            Process p = pb.command(cmd).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(180, TimeUnit.SECONDS), is(true));
            assertThat(err, p.exitValue(), is(1));
            assertThat(err, err.strip(), startsWith("market-backend: Running as root, the embedded PostgreSQL needs the OS user"));
            assertThat(err, err.strip().lines().count(), is(1L));
            assertThat(err, not(containsString("Exception")));
        } finally {
            try (var paths = Files.walk(parent)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void clusterRunsUnprivilegedOnLoopbackWithPasswords() throws Exception {
        EmbeddedCluster pg = EmbeddedCluster.throwaway(line -> { });
        try {
            try (Connection c = DriverManager.getConnection(pg.adminUrl()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num'), current_setting('listen_addresses')")) {
                rs.next();
                assertThat(rs.getString(1), startsWith(EmbeddedCluster.MAJOR));
                assertThat(rs.getString(2), is("127.0.0.1"));
            }
            String noPassword = pg.adminUrl().replaceAll("&password=[^&]*", "");
            assertThrows(SQLException.class, () -> DriverManager.getConnection(noPassword).close());
            long pid = Long.parseLong(Files.readAllLines(pg.dir().resolve("pgdata/postmaster.pid")).getFirst().trim());
            String uid = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
            assertThat(uid, not(startsWith("Uid:\t0\t")));
            // a second process on the same folder reuses the running server instead of starting another
            EmbeddedCluster same = EmbeddedCluster.open(pg.dir(), line -> { });
            assertThat(same.port(), is(pg.port()));
            same.close();
            assertThat(Files.exists(pg.dir().resolve("pgdata/postmaster.pid")), is(true));
            bootstrapNeverResetsAPasswordSilently(pg);
        } finally {
            pg.close();
        }
    }

    /** Roles are cluster-wide: bootstrap sets a password only where there is none (scram here, so passwords count). */
    private static void bootstrapNeverResetsAPasswordSilently(EmbeddedCluster pg) throws Exception {
        AppConfig first = config(pg, "app-password-1");
        assertThat(Bootstrap.run(first), hasItem("password of market_app set (it had none)"));
        assertThat(Bootstrap.run(first), hasItem("password of market_app unchanged (DB_PASSWORD logs in)"));
        AppConfig other = config(pg, "app-password-2");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Bootstrap.run(other));
        assertThat(refused.getMessage(), containsString("--reset-passwords"));
        DriverManager.getConnection(pg.url("market"), "market_app", "app-password-1").close();
        assertThat(Bootstrap.run(other, true), hasItem("password of market_app reset to DB_PASSWORD (--reset-passwords; cluster-wide)"));
        DriverManager.getConnection(pg.url("market"), "market_app", "app-password-2").close();
    }

    private static AppConfig config(EmbeddedCluster pg, String appPassword) {
        return AppConfig.fromEnv(Map.of("DB_URL", pg.url("market"), "DB_ADMIN_URL", pg.adminUrl(), "APP_ENV", "dev",
                "DB_PASSWORD", appPassword, "DB_MIGRATION_PASSWORD", "owner-password"));
    }
}
