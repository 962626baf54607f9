package marketbackend.reliability;

import java.util.Map;
import java.util.stream.Stream;

import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import marketbackend.Server;
import marketbackend.support.TestApp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Bytes that are not valid HTTP/1.1, sent on a plain socket to a server configured like production:
 * a bad request line, bad header lines, oversized headers and request lines, contradictory framing.
 * Each gets a 4xx problem+json answer from the HTTP layer (not a hang, not a dropped connection, not
 * the parser's own message), and the server keeps serving.
 *
 * <p>The server is built exactly as {@link Server#start} builds it. Not with {@code @ServerTest}: its
 * extension copies the listener settings onto themselves, which doubles list-valued ones, and two
 * HTTP/1.1 protocol configurations make two connection selectors, with which Helidon closes the
 * socket on a bad request line instead of answering (production has one; see the last test).
 */
class MalformedHttpTest {
    private static final String OK = "GET /api/products?size=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    private static WebServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = Server.configure(WebServer.builder(), TestApp.get()).port(0).host("127.0.0.1").build().start();
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static String get(String headers) {
        return "GET /api/products HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n";
    }

    private static String post(String headers, String body) {
        return "POST /api/auth/code HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headers
                + "Connection: close\r\n\r\n" + body;
    }

    static Stream<Arguments> malformed() {
        int maxHeaders = TestApp.get().config().limits().maxHeaderBytes();
        int maxLine = TestApp.get().config().limits().maxRequestLineBytes();
        return Stream.of(
                Arguments.of("garbage instead of a request line", "GARBAGE\r\n\r\n", 0),
                Arguments.of("method only", "GET\r\nHost: localhost\r\n\r\n", 0),
                Arguments.of("no version", "GET /api/products\r\nHost: localhost\r\n\r\n", 0),
                Arguments.of("extra token in the request line", "GET /api/products HTTP/1.1 extra\r\nHost: localhost\r\n\r\n", 0),
                Arguments.of("unknown HTTP version", "GET /api/products HTTP/9.9\r\nHost: localhost\r\n\r\n", 0),
                Arguments.of("misspelt protocol", "GET /api/products HTTX/1.1\r\nHost: localhost\r\n\r\n", 0),
                Arguments.of("target without a leading slash", "GET api/products HTTP/1.1\r\nHost: localhost\r\n\r\n", 0),
                Arguments.of("two spaces in the request line", "GET  /api/products HTTP/1.1\r\nHost: localhost\r\n\r\n", 0),
                Arguments.of("raw space in the target", "GET /api/pro ducts HTTP/1.1\r\nHost: localhost\r\n\r\n", 0),
                Arguments.of("raw NUL in the target", "GET /api/products/\u0000 HTTP/1.1\r\nHost: localhost\r\n\r\n", 0),
                Arguments.of("bad percent-encoding in the target", "GET /api/products/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n", 0),
                Arguments.of("bad percent-encoding in the query", "GET /api/products?q=%zz HTTP/1.1\r\nHost: localhost\r\n\r\n", 0),
                Arguments.of("header line without a colon", get("NoColonHere\r\n"), 0),
                Arguments.of("space in a header name", get("Bad Header: x\r\n"), 0),
                Arguments.of("space before the colon", get("X-Market : KG\r\n"), 0),
                Arguments.of("obsolete line folding", get("X-Market: KG\r\n US\r\n"), 0),
                Arguments.of("NUL in a header value", get("X-Market: K\u0000G\r\n"), 0),
                Arguments.of("control character in a header value", get("X-Request-Id: a\u0007b\r\n"), 0),
                Arguments.of("empty header name", get(": value\r\n"), 0),
                Arguments.of("no Host header", "GET /api/products HTTP/1.1\r\nConnection: close\r\n\r\n", 0),
                Arguments.of("two Host headers", get("Host: evil.test\r\n"), 0),
                Arguments.of("one header above MAX_HEADER_BYTES", get("X-Pad: " + "a".repeat(maxHeaders + 10) + "\r\n"), 431),
                Arguments.of("many headers together above MAX_HEADER_BYTES",
                        get(("X-Pad: " + "a".repeat(1000) + "\r\n").repeat(maxHeaders / 1000 + 2)), 431),
                Arguments.of("request line above MAX_REQUEST_LINE_BYTES",
                        "GET /api/products?q=" + "a".repeat(maxLine + 10) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 414),
                Arguments.of("negative Content-Length", post("Content-Length: -1\r\n", "{}"), 0),
                Arguments.of("Content-Length not a number", post("Content-Length: abc\r\n", "{}"), 0),
                Arguments.of("two different Content-Length headers", post("Content-Length: 2\r\nContent-Length: 3\r\n", "{}"), 0),
                Arguments.of("Content-Length with Transfer-Encoding (smuggling)",
                        post("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 0),
                Arguments.of("chunk size not hexadecimal", post("Transfer-Encoding: chunked\r\n", "zz\r\n{}\r\n0\r\n\r\n"), 0),
                Arguments.of("unknown transfer coding", post("Transfer-Encoding: gzip\r\n", "{}"), 0),
                Arguments.of("Content-Length above MAX_PAYLOAD_BYTES",
                        post("Content-Length: 999999999\r\n", "{}"), 413),
                Arguments.of("CONNECT to another host", "CONNECT evil.test:443 HTTP/1.1\r\nHost: evil.test:443\r\n\r\n", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedHttpGetsAProblemAndTheServerGoesOn(String what, String raw, int expected) {
        RawHttp.Answer a = RawHttp.send(port, raw);
        assertThat(what + ": answered in time", a.millis(), lessThan((long) RawHttp.TIMEOUT_MS));
        Checks.clientProblem(a.status(), a.header("Content-Type"), a.body(), what + " → " + a);
        if (expected > 0) {
            assertThat(what + " → " + a, a.status(), is(expected));
        }
        RawHttp.Answer normal = RawHttp.send(port, OK);
        assertThat("a normal request after '" + what + "' → " + normal, normal.status(), is(200));
    }

    @Test
    void productionHasOneHttp1Configuration() {
        // a second one (e.g. a discovered default beside ours) silently closes connections on bad request lines
        assertThat(Server.configure(WebServer.builder(), TestApp.get()).buildPrototype().protocols().size(), is(1));
    }

    @Test
    void justUnderTheLimitsIsServed() {
        // the 431 and 414 above are the configured limits, not accidents of the parser
        var limits = TestApp.get().config().limits();
        RawHttp.Answer headers = RawHttp.send(port, get("X-Pad: " + "a".repeat(limits.maxHeaderBytes() - 200) + "\r\n"));
        assertThat(headers.toString(), headers.status(), is(200));
        String target = "/api/products?pad=" + "a".repeat(limits.maxRequestLineBytes() - 100);
        RawHttp.Answer line = RawHttp.send(port, RawHttp.request("GET", target, Map.of(), null));
        assertThat(line.toString(), line.status(), is(200));
    }
}
