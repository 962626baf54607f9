package marketbackend.manager;

import java.util.List;
import java.util.Map;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.ManagerAccess;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.market.MarketRegistry;

/**
 * {@code GET /api/manager/me} and {@code PUT /api/manager/settings}: what the filter read about the
 * manager, and the one write, in the request's one transaction.
 */
public final class ManagerProfileService implements HttpService {
    private final Db db;
    private final MarketRegistry markets;

    public ManagerProfileService(Db db, MarketRegistry markets) {
        this.db = db;
        this.markets = markets;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/me", this::me)
                .put("/settings", this::settings);
    }

    /**
     * @param market           the manager's own market (from their phone), like every user object
     * @param activeMarket     where a request without X-Market goes: the saved choice if still
     *                         accessible, else the first accessible market
     * @param currentMarket    the market that served this request
     */
    record MeJson(long id, String market, String phone, String role, List<String> accessibleMarkets,
                  String activeMarket, String currentMarket) {

        static MeJson of(RequestContext ctx, ManagerAccess access) {
            return new MeJson(ctx.userId(), access.homeMarket(), access.phone(), access.role(),
                    access.accessibleMarkets(), access.defaultMarket(), ctx.market());
        }
    }

    record SettingsBody(String activeMarket) {
    }

    private void me(ServerRequest req, ServerResponse res) {
        Json.send(res, MeJson.of(Contexts.manager(req), Contexts.managerAccess(req)));
    }

    private void settings(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        ManagerAccess access = Contexts.managerAccess(req);
        SettingsBody body = Json.read(req, SettingsBody.class);
        String market = body.activeMarket();
        if (market == null) {
            throw ApiException.unprocessable("Field 'active_market' is required");
        }
        if (markets.known(market).isEmpty()) {
            throw ApiException.unprocessable("Field 'active_market' must be a market code such as "
                    + String.join(", ", markets.withClosed().stream().map(m -> m.code()).toList()));
        }
        if (!access.accessibleMarkets().contains(market)) {
            throw ApiException.forbidden("No access to " + market + " market");
        }
        db.inMarket(ctx, tx -> {
            String before = ManagerRepository.savedMarket(tx, ctx.userId()).orElse(null);
            ManagerRepository.saveMarket(tx, ctx.userId(), market);
            AuditLogRepository.record(tx, "update", "manager_settings", ctx.userId(),
                    before == null ? null : Map.of("active_market", before),
                    Map.of("active_market", market));
            return null;
        });
        Json.send(res, MeJson.of(ctx, new ManagerAccess(access.accessibleMarkets(), market, access.role(),
                access.homeMarket(), access.phone())));
    }
}
