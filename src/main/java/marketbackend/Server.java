package marketbackend;

import java.time.Clock;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import marketbackend.auth.Tokens;
import marketbackend.catalog.BannerService;
import marketbackend.catalog.CategoryService;
import marketbackend.catalog.ProductService;
import marketbackend.db.Db;
import marketbackend.http.ApiException;
import marketbackend.http.Authenticator;
import marketbackend.http.ManagerMarkets;
import marketbackend.http.MarketFilter;
import marketbackend.http.ProblemDirectHandler;
import marketbackend.http.Problems;
import marketbackend.manager.ManagerDirectory;
import marketbackend.market.MarketRegistry;
import marketbackend.market.MarketService;

/** The HTTP application: which service answers which path, the filter, the error mapping. */
public final class Server {
    private Server() {
    }

    /** Everything the routes need, built once per process (or per test). */
    public record App(AppConfig config, Db db, MarketRegistry markets, Tokens tokens, Authenticator authenticator,
                      ManagerMarkets managerMarkets) {

        public static App create(AppConfig config, Db db) {
            MarketRegistry markets = new MarketRegistry(db);
            Tokens tokens = new Tokens(config.jwtSecretBytes(), config.jwtTtl(), Clock.systemUTC());
            return new App(config, db, markets, tokens, tokens, new ManagerDirectory(db));
        }
    }

    /** The shipped routing; tests register exactly this. */
    public static void routing(HttpRouting.Builder r, App app) {
        Db db = app.db();
        r.addFilter(new MarketFilter(app.markets(), app.config().defaultMarket(), app.authenticator(),
                app.managerMarkets()));
        Problems.register(r);
        r.register("/api/markets", new MarketService(app.markets()))
                .register("/api/products", new ProductService(db))
                .register("/api/categories", new CategoryService(db))
                .register("/api/banners", new BannerService(db))
                .any("/api", (req, res) -> {
                    throw ApiException.notFound("Resource");
                })
                .any("/api/*", (req, res) -> {
                    throw ApiException.notFound("Resource");
                });
    }

    public static WebServer start(App app) {
        AppConfig cfg = app.config();
        Db db = app.db();
        HealthObserver health = HealthObserver.builder()
                .details(true)
                .useSystemServices(false)
                .addCheck(() -> {
                    try {
                        return HealthCheckResponse.builder().status(db.ping()).detail("database", "reachable").build();
                    } catch (RuntimeException e) {
                        return HealthCheckResponse.builder().status(false).detail("database", "unreachable").build();
                    }
                }, HealthCheckType.READINESS, "database")
                .build();
        return WebServer.builder()
                .port(cfg.serverPort())
                .maxPayloadSize(cfg.maxPayloadBytes())
                .directHandlers(ProblemDirectHandler.handlers())
                .addFeature(ObserveFeature.just(health, MetricsObserver.create()))
                .addFeature(OpenApiFeature.builder().build())
                .routing(r -> routing(r, app))
                .build()
                .start();
    }
}
