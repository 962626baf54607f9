package marketbackend.support;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** A small JSON client for HTTP tests: call, then look at status, headers and body. */
public final class Api {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private final Http1Client client;

    public Api(Http1Client client) {
        this.client = client;
    }

    /** An answer, read fully. */
    public record Res(int status, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return PLAIN.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        /** Asserts the status (showing the body on failure) and answers the JSON body. */
        public JsonNode expect(int expected) {
            assertThat(this.toString(), status, is(expected));
            return body.isEmpty() ? null : json();
        }

        /** Asserts an RFC 9457 problem answer with this status. */
        public JsonNode problem(int expected) {
            assertThat(this.toString(), status, is(expected));
            assertThat(header("Content-Type"), startsWith("application/problem+json"));
            JsonNode p = json();
            assertThat(p.get("status").asInt(), is(expected));
            return p;
        }
    }

    public Res get(String path, String token) {
        return call(Method.GET, path, token, null, Map.of());
    }

    public Res post(String path, String token, Object body) {
        return call(Method.POST, path, token, body, Map.of());
    }

    public Res put(String path, String token, Object body) {
        return call(Method.PUT, path, token, body, Map.of());
    }

    public Res delete(String path, String token) {
        return call(Method.DELETE, path, token, null, Map.of());
    }

    /**
     * @param path   may carry a query string ({@code ?a=1&b=2}, URL-encoded values)
     * @param token  a bearer token, or null for a guest
     * @param body   a String is sent as is, anything else as JSON; null sends no body
     */
    public Res call(Method method, String path, String token, Object body, Map<String, String> headers) {
        int q = path.indexOf('?');
        Http1ClientRequest req = client.method(method).uri(q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                req.queryParam(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        Map<String, String> sent = new LinkedHashMap<>(headers);
        if (token != null) {
            sent.put("Authorization", "Bearer " + token);
        }
        if (body != null && headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Content-Type"))) {
            sent.put("Content-Type", "application/json");
        }
        sent.forEach((k, v) -> req.header(HeaderNames.create(k), v));
        try {
            String text = body == null ? null : body instanceof String s ? s : PLAIN.writeValueAsString(body);
            try (HttpClientResponse res = text == null ? req.request() : req.submit(text)) {
                Map<String, String> h = new LinkedHashMap<>();
                res.headers().forEach(header -> h.put(header.name().toLowerCase(java.util.Locale.ROOT), header.get()));
                String answer = res.entity().hasEntity() ? res.as(String.class) : "";
                Contract.check(exchange(method.text(), path, sent, text, res, answer));
                return new Res(res.status().code(), h, answer);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** What the contract check needs of one call made with Helidon's client. */
    public static Contract.Exchange exchange(String method, String pathAndQuery, Map<String, String> sent, String body,
                                             HttpClientResponse res, String answer) {
        int q = pathAndQuery.indexOf('?');
        Map<String, List<String>> requestHeaders = new LinkedHashMap<>();
        sent.forEach((k, v) -> requestHeaders.put(k, List.of(v)));
        Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
        res.headers().forEach(header -> responseHeaders.put(header.name(), header.allValues()));
        return new Contract.Exchange(method, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q),
                q < 0 ? null : pathAndQuery.substring(q + 1), requestHeaders, body, res.status().code(),
                responseHeaders, answer);
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A bearer token for a user, as the login would issue it. */
    public static String token(long userId, String market) {
        return TestApp.get().tokens().issue(userId, market, false).token();
    }
}
