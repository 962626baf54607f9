package marketbackend.manager;

import java.util.List;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.Principal;
import marketbackend.context.RequestContext;
import marketbackend.customer.UserRepository;
import marketbackend.db.Db;
import marketbackend.http.ApiException;
import marketbackend.http.Authenticator;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.market.MarketRegistry;

/** {@code GET /api/manager/me} and {@code PUT /api/manager/settings}. */
public final class ManagerProfileService implements HttpService {
    private final Db db;
    private final MarketRegistry markets;
    private final ManagerMarkets directory;
    private final Authenticator authenticator;

    public ManagerProfileService(Db db, MarketRegistry markets, ManagerMarkets directory, Authenticator authenticator) {
        this.db = db;
        this.markets = markets;
        this.directory = directory;
        this.authenticator = authenticator;
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
    }

    record SettingsBody(String activeMarket) {
    }

    private void me(ServerRequest req, ServerResponse res) {
        Json.send(res, describe(req, Contexts.manager(req)));
    }

    private void settings(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        SettingsBody body = Json.read(req, SettingsBody.class);
        String market = body.activeMarket();
        if (market == null) {
            throw ApiException.unprocessable("Field 'active_market' is required");
        }
        if (markets.known(market).isEmpty()) {
            throw ApiException.unprocessable("Field 'active_market' must be a market code such as "
                    + String.join(", ", markets.withClosed().stream().map(m -> m.code()).toList()));
        }
        if (!access(ctx).accessibleMarkets().contains(market)) {
            throw ApiException.forbidden("No access to " + market + " market");
        }
        db.inMarket(ctx, tx -> {
            String before = ManagerRepository.savedMarket(tx, ctx.userId()).orElse(null);
            ManagerRepository.saveMarket(tx, ctx.userId(), market);
            AuditLogRepository.record(tx, "update", "manager_settings", ctx.userId(),
                    Json.text(before == null ? null : Map.of("active_market", before)),
                    Json.text(Map.of("active_market", market)));
            return null;
        });
        Json.send(res, describe(req, ctx));
    }

    private MeJson describe(ServerRequest req, RequestContext ctx) {
        ManagerMarkets.Access access = access(ctx);
        List<String> accessible = access.accessibleMarkets();
        String active = access.activeMarket() != null && accessible.contains(access.activeMarket())
                ? access.activeMarket() : accessible.isEmpty() ? null : accessible.getFirst();
        // A manager is also a user of their phone's market. Their own user row is read the way
        // GET /api/me reads it (customer role, own market): the manager policy on users shows
        // only users of the market being managed, which need not be the manager's own.
        Principal principal = authenticator.authenticate(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        RequestContext self = RequestContext.customer(principal.market(), ctx.userId(), ctx.requestId());
        String phone = db.read(self, tx -> UserRepository.find(tx, ctx.userId()))
                .map(UserRepository.UserJson::phone).orElse(null);
        return new MeJson(ctx.userId(), principal.market(), phone, access.role(), accessible, active, ctx.market());
    }

    private ManagerMarkets.Access access(RequestContext ctx) {
        return directory.lookup(ctx.userId(), ctx.requestId())
                .orElseThrow(() -> ApiException.forbidden("Manager access required"));
    }
}
