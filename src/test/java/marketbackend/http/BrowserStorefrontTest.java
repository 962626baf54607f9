package marketbackend.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import marketbackend.support.Customers;
import marketbackend.support.Fixtures;
import marketbackend.support.Servers;
import marketbackend.support.Tools;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * A storefront page served from another origin (another port on 127.0.0.1) calls the API from a real
 * headless Chromium: it lists KG products, switches to US, and a KG customer who switches gets a 403
 * whose body and headers the page can read. A page from an origin not in CORS_ALLOWED_ORIGINS gets
 * nothing. The page writes what it saw into its DOM, which Chromium dumps.
 */
class BrowserStorefrontTest {
    private static final String PAGE = """
            <!doctype html><html><body><ul id="log"></ul><script>
            const api = '%s', token = '%s';
            function show(id, text) {
              const li = document.createElement('li'); li.id = id; li.textContent = id + '=' + text;
              document.getElementById('log').appendChild(li);
            }
            async function list(market) {
              const r = await fetch(api + '/api/products?q=Browser&size=100', {headers: {'X-Market': market}});
              const body = await r.json();
              show('products-' + market, r.status + ' ' + r.headers.get('X-Market') + ' '
                + body.items.map(p => p.name + '/' + p.market + '/' + p.currency).join(','));
            }
            (async () => {
              try {
                await list('KG');
                await list('US');
                const r = await fetch(api + '/api/orders', {headers: {'X-Market': 'US', 'Authorization': 'Bearer ' + token}});
                const p = await r.json();
                show('switch', r.status + ' ' + r.headers.get('X-Market') + ' ' + (r.headers.get('X-Request-Id') !== null)
                  + ' ' + p.detail);
              } catch (e) {
                show('blocked', e.name);
              }
              show('done', 'yes');
            })();
            </script></body></html>""";

    private static WebServer api;
    private static HttpServer pages;
    private static String allowedOrigin;
    private static String kgProduct;
    private static String usProduct;

    @BeforeAll
    static void start() throws Exception {
        Tools.required(Optional.ofNullable(chromium()), "Chromium is missing: install Debian's chromium");
        kgProduct = Fixtures.unique("Browser KG tea");
        usProduct = Fixtures.unique("Browser US coffee");
        Fixtures.product("KG", kgProduct, null, 5, java.util.Map.of("KG", "120.00"));
        Fixtures.product("US", usProduct, null, 5, java.util.Map.of("US", "9.50"));
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        allowedOrigin = "http://127.0.0.1:" + pages.getAddress().getPort();
        api = Servers.start(Map.of("CORS_ALLOWED_ORIGINS", allowedOrigin));
        String token = Customers.create("KG").token();
        byte[] html = PAGE.formatted("http://127.0.0.1:" + api.port(), token).getBytes(StandardCharsets.UTF_8);
        pages.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        pages.start();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.stop();
        }
        if (pages != null) {
            pages.stop(0);
        }
    }

    @Test
    void storefrontOnAnotherOriginListsSwitchesAndSeesTheRefusal() throws Exception {
        String dom = dumpDom(allowedOrigin + "/");
        String kg = item(dom, "products-KG");
        assertMatches(kg, "200 KG .*");
        assertThat(kg, containsString(kgProduct + "/KG/KGS"));
        assertThat(kg, not(containsString(usProduct)));
        String us = item(dom, "products-US");
        assertMatches(us, "200 US .*");
        assertThat(us, containsString(usProduct + "/US/USD"));
        assertThat(us, not(containsString(kgProduct)));
        // the page reads the status, the exposed headers and the problem body
        assertMatches(item(dom, "switch"), "403 \\S+ true .*KG market.*");
        assertThat(item(dom, "done"), is("yes"));
    }

    @Test
    void pageOnAnOriginNotAllowedGetsNothing() throws Exception {
        // same page, same server, but reached as http://localhost:port: another origin, not in the list
        String dom = dumpDom(allowedOrigin.replace("127.0.0.1", "localhost") + "/");
        assertThat(item(dom, "blocked"), is("TypeError"));
        assertThat(dom, not(containsString("products-KG=")));
    }

    private static String item(String dom, String id) {
        Matcher m = Pattern.compile("<li id=\"" + id + "\">" + Pattern.quote(id) + "=([^<]*)</li>").matcher(dom);
        assertThat(id + " in " + dom, m.find(), is(true));
        return m.group(1).replace("&amp;", "&");
    }

    private static String dumpDom(String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("market-chromium-");
        List<String> cmd = List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=15000", "--dump-dom", url);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        try (var paths = Files.walk(profile)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        return dom;
    }

    private static String chromium() {
        for (String name : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(name))) {
                return name;
            }
        }
        return null;
    }

    private static void assertMatches(String actual, String regex) {
        assertThat(actual + " matches " + regex, actual.matches(regex), is(true));
    }
}
