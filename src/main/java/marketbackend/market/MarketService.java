package marketbackend.market;

import java.util.List;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.http.Json;
import marketbackend.value.Page;

/** {@code GET /api/markets}: the markets a client can choose with {@code X-Market}. */
public final class MarketService implements HttpService {
    private final MarketRegistry markets;

    public MarketService(MarketRegistry markets) {
        this.markets = markets;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        List<MarketJson> items = markets.all().stream()
                .map(m -> new MarketJson(m.code(), m.name(), m.currency(), m.timezone(), m.locale(), m.phoneRegion()))
                .toList();
        Json.send(res, Page.of(items, 1, items.size(), items.size()));
    }

    record MarketJson(String code, String name, String currency, String timezone, String locale, String phoneRegion) {
    }
}
