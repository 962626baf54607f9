package marketbackend.sms;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import marketbackend.db.Tx;
import marketbackend.http.Json;
import marketbackend.market.Market;
import marketbackend.value.JsonCodec;

/**
 * {@code SMS_MODE=http}: POSTs each message to the market's endpoint ({@code SMS_HTTP_URL_<MARKET>})
 * as {@code {"market", "provider", "to", "text"}} with an optional bearer token
 * ({@code SMS_HTTP_TOKEN_<MARKET>}). Any 2xx answer means accepted; anything else, or a timeout,
 * fails the login request with 503 and rolls its code back.
 */
final class HttpSmsSender implements SmsSender {
    private static final System.Logger LOG = System.getLogger(HttpSmsSender.class.getName());

    private final Map<String, URI> urls;
    private final Map<String, String> tokens;
    private final Duration timeout;
    private final HttpClient client;

    HttpSmsSender(Map<String, URI> urls, Map<String, String> tokens, Duration timeout) {
        this.urls = Map.copyOf(urls);
        this.tokens = Map.copyOf(tokens);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void send(Tx tx, Market market, String e164Phone, String text) {
        URI url = urls.get(market.code());
        if (url == null) {
            LOG.log(System.Logger.Level.ERROR, "SMS_MODE=http but SMS_HTTP_URL_" + market.code() + " is not set");
            throw new SmsException(market.code());
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("market", market.code());
        body.put("provider", market.smsProvider());
        body.put("to", e164Phone);
        body.put("text", text);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json(body)));
        String token = tokens.get(market.code());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<Void> res = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (res.statusCode() / 100 != 2) {
                LOG.log(System.Logger.Level.WARNING, "SMS provider of market " + market.code()
                        + " answered HTTP " + res.statusCode());
                throw new SmsException(market.code());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "SMS provider of market " + market.code()
                    + " unreachable: " + e.getClass().getSimpleName());
            throw new SmsException(market.code());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmsException(market.code());
        }
    }

    private static byte[] json(Map<String, String> body) {
        try {
            return JsonCodec.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write SMS request", e);
        }
    }
}
