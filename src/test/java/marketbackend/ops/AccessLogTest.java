package marketbackend.ops;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import marketbackend.support.Servers;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The access log: escaped fields (no forged lines), JSON on request, and never written on the request's thread. */
class AccessLogTest {
    private final Logger access = Logger.getLogger("marketbackend.access");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private Level levelBefore;
    private Handler capture;

    @BeforeEach
    void capture() {
        levelBefore = access.getLevel();
        access.setLevel(Level.INFO);
        capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        access.addHandler(capture);
    }

    @AfterEach
    void release() {
        access.removeHandler(capture);
        access.setLevel(levelBefore);
    }

    @Test
    void everyByteOutsidePrintableAsciiIsEscaped() {
        assertThat(AccessLog.escape("/a b\n\r\t\"x\\y\u0000é"), is("/a\\x20b\\x0a\\x0d\\x09\\x22x\\x5cy\\x00\\xc3\\xa9"));
        assertThat(AccessLog.escape("/api/products/3"), is("/api/products/3"));
        assertThat(AccessLog.escape(null), is("-"));
    }

    @Test
    void anEncodedNewlineInThePathStaysOnItsLine() throws Exception {
        WebServer server = Servers.start();
        try {
            String forged = "/api/x%0aGET%20/api/manager/orders%20200%200.1ms%20market=US%20actor=manager%20user=5";
            String answer = raw(server.port(), "GET " + forged + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(answer, startsWith("HTTP/1.1 404"));
            LogRecord line = awaitLine(forged);
            assertThat(line.getMessage(), not(containsString("\n")));
            assertThat(line.getMessage(), startsWith("GET " + forged + " 404 "));
            assertThat(line.getMessage(), containsString(" market=KG actor=guest user=- request_id="));
            String json = new JsonLogFormatter().format(line);
            assertThat(json.strip(), not(containsString("\n")));
            JsonNode doc = new ObjectMapper().readTree(json);
            assertThat(doc.get("path").asText(), is(forged));
            assertThat(doc.get("status").asInt(), is(404));
            assertThat(doc.get("actor").asText(), is("guest"));
            assertThat(doc.get("logger").asText(), is("marketbackend.access"));
        } finally {
            server.stop();
        }
    }

    @Test
    void jsonFormatKeepsAnyRecordOnOneLine() throws Exception {
        LogRecord r = new LogRecord(Level.WARNING, "two\nlines \"quoted\"");
        r.setLoggerName("marketbackend.test");
        r.setThrown(new IllegalStateException("boom"));
        String json = new JsonLogFormatter().format(r);
        assertThat(json.indexOf('\n'), is(json.length() - 1));
        JsonNode doc = new ObjectMapper().readTree(json);
        assertThat(doc.get("message").asText(), is("two\nlines \"quoted\""));
        assertThat(doc.get("level").asText(), is("WARNING"));
        assertThat(doc.get("error").asText(), containsString("IllegalStateException: boom"));
    }

    @Test
    void aStuckLogSinkDoesNotHoldRequests() throws Exception {
        CountDownLatch unblock = new CountDownLatch(1);
        Handler stuck = new Handler() {
            @Override
            public void publish(LogRecord r) {
                try {
                    unblock.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        access.addHandler(stuck);
        try {
            // with a synchronous log this would wait for the stuck handler forever
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int i = 0; i < 200; i++) {
                    AccessLog.record(new Answered("GET", "/api/stuck/" + i, 200, 1_000, "KG", "guest", "-", "stuck-" + i));
                }
            });
        } finally {
            unblock.countDown();
            access.removeHandler(stuck);
        }
        awaitLine("/api/stuck/199");
    }

    private LogRecord awaitLine(String path) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            for (LogRecord r : records) {
                if (r.getMessage().contains(AccessLog.escape(path) + " ")) {
                    return r;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access-log line for " + path + " in " + records.stream().map(LogRecord::getMessage).toList());
    }

    private static String raw(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // the status line is enough
            return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
        }
    }
}
