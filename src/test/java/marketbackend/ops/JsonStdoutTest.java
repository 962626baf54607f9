package marketbackend.ops;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import marketbackend.support.Launch;
import marketbackend.support.TestDatabase;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/** Under LOG_FORMAT=json every line a started server writes to stdout, from migration to shutdown, is one JSON object. */
class JsonStdoutTest {
    private static final Pattern SERVING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");

    @Test
    void everyStdoutLineOfAServerIsJson() throws Exception {
        Map<String, String> env = new HashMap<>();
        TestDatabase db = TestDatabase.get();
        env.put("DB_URL", db.config().db().url());
        env.put("DB_PASSWORD", db.config().db().password());
        env.put("DB_MIGRATION_PASSWORD", db.config().db().migrationPassword());
        env.put("DB_CONTEXT_KEY", db.config().contextKeys().current());
        env.put("JWT_SECRET", "json-stdout-secret-0123456789-0123456789");
        env.put("SERVER_HOST", "127.0.0.1");
        env.put("SERVER_PORT", "0");
        env.put("LOG_FORMAT", "json");
        Process p = Launch.builder(env).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        List<String> seen = new ArrayList<>();
        try {
            int port = -1;
            while (port < 0) {
                String l = lines.poll(180, TimeUnit.SECONDS);
                assertThat("no 'serving on' line; stdout so far: " + seen, l, notNullValue());
                seen.add(l);
                Matcher m = SERVING.matcher(l);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/api/products?size=1", "/api/products/0", "/api/nothing%0a%7B%22forged%22:1%7D")) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            // the access log is written after the answer, by a background thread: wait for its three lines
            long access = 0;
            while (access < 3) {
                String l = lines.poll(60, TimeUnit.SECONDS);
                assertThat("access lines missing; stdout: " + seen, l, notNullValue());
                seen.add(l);
                access += l.contains("\"status\":") ? 1 : 0;
            }
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            reader.join(10_000);
        }
        lines.drainTo(seen);
        ObjectMapper json = new ObjectMapper();
        int accessLines = 0;
        for (String l : seen) {
            JsonNode o;
            try {
                o = json.readTree(l);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + l + "\nin " + seen, e);
            }
            assertThat(l, o != null && o.isObject() && o.hasNonNull("time") && o.hasNonNull("level")
                    && o.hasNonNull("message"), is(true));
            accessLines += o.has("status") ? 1 : 0;
        }
        assertThat("the schema line is there: " + seen, seen.stream().anyMatch(l -> l.contains("Schema up to date")
                || l.contains("Migrations: ")), is(true));
        assertThat("access lines of the three requests in " + seen, accessLines >= 3, is(true));
    }
}
