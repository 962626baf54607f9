package marketbackend.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import marketbackend.support.Contract;

/**
 * A thread-safe JSON client for many concurrent callers (the JDK's HttpClient over HTTP/1.1). Every
 * call has a 10 s deadline: an answer that takes longer is a hang, reported as status -1. Given
 * several servers, it sends each call to the next one in turn (a round-robin load balancer).
 */
final class HttpJson {
    static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final List<String> bases;
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

    HttpJson(int... ports) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(DEADLINE).build();
        this.bases = java.util.Arrays.stream(ports).mapToObj(p -> "http://127.0.0.1:" + p).toList();
    }

    /** An answer: status (-1: none within the deadline or the connection failed), headers, parsed body. */
    record Res(int status, HttpResponse<String> raw, JsonNode json, long millis, String failure) {
        String header(String name) {
            return raw == null ? null : raw.headers().firstValue(name).orElse(null);
        }

        String body() {
            return raw == null ? "" : raw.body();
        }

        @Override
        public String toString() {
            return status + (failure == null ? "" : " (" + failure + ")") + " " + body();
        }
    }

    Res get(String path, String token, String market) {
        return call("GET", path, token, market, null, Map.of());
    }

    /** @param body a String is sent as is, anything else as JSON; null sends none */
    Res call(String method, String path, String token, String market, Object body, Map<String, String> headers) {
        String base = bases.get(Math.floorMod(next.getAndIncrement(), bases.size()));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(DEADLINE);
        Map<String, String> sent = new LinkedHashMap<>();
        if (token != null) {
            sent.put("Authorization", "Bearer " + token);
        }
        if (market != null) {
            sent.put("X-Market", market);
        }
        sent.putAll(headers);
        String text;
        try {
            text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        if (text != null) {
            sent.put("Content-Type", "application/json");
        }
        sent.forEach(b::header);
        b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        long start = System.nanoTime();
        try {
            HttpResponse<String> res = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            JsonNode json = null;
            if (!res.body().isEmpty()) {
                try {
                    json = JSON.readTree(res.body());
                } catch (IOException e) {
                    json = null;
                }
            }
            int q = path.indexOf('?');
            Map<String, List<String>> requestHeaders = new LinkedHashMap<>();
            sent.forEach((k, v) -> requestHeaders.put(k, List.of(v)));
            Contract.check(new Contract.Exchange(method, q < 0 ? path : path.substring(0, q),
                    q < 0 ? null : path.substring(q + 1), requestHeaders, text, res.statusCode(),
                    res.headers().map(), res.body()));
            return new Res(res.statusCode(), res, json, millis, null);
        } catch (IOException e) {
            return new Res(-1, null, null, (System.nanoTime() - start) / 1_000_000, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Res(-1, null, null, (System.nanoTime() - start) / 1_000_000, "interrupted");
        }
    }

    /** Every JSON object in {@code node}, itself included, depth first. */
    static List<JsonNode> objects(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        collect(node, out);
        return out;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            out.add(node);
        }
        node.elements().forEachRemaining(child -> collect(child, out));
    }
}
