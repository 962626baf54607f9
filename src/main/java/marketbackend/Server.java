package marketbackend;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import marketbackend.auth.AuthService;
import marketbackend.auth.SessionService;
import marketbackend.auth.Sessions;
import marketbackend.auth.Tokens;
import marketbackend.catalog.BannerService;
import marketbackend.catalog.CategoryService;
import marketbackend.catalog.ProductService;
import marketbackend.customer.AddressService;
import marketbackend.customer.CartService;
import marketbackend.customer.MeService;
import marketbackend.customer.NotificationService;
import marketbackend.customer.PaymentMethodService;
import marketbackend.customer.WishlistService;
import marketbackend.db.CatalogReads;
import marketbackend.db.Databases;
import marketbackend.db.Db;
import marketbackend.http.ApiException;
import marketbackend.http.Authenticator;
import marketbackend.http.Cors;
import marketbackend.http.MarketFilter;
import marketbackend.http.ProblemDirectHandler;
import marketbackend.http.Problems;
import marketbackend.http.Query;
import marketbackend.manager.AuditLogService;
import marketbackend.manager.ManagerBannerService;
import marketbackend.manager.ManagerCategoryService;
import marketbackend.manager.ManagerCustomerService;
import marketbackend.manager.ManagerGate;
import marketbackend.manager.ManagerNotificationService;
import marketbackend.manager.ManagerOrderService;
import marketbackend.manager.ManagerProductService;
import marketbackend.manager.ManagerProfileService;
import marketbackend.market.MarketRegistry;
import marketbackend.market.MarketService;
import marketbackend.order.OrderService;
import marketbackend.revenue.RevenueService;
import marketbackend.revenue.RevenueSnapshotJob;
import marketbackend.db.TotalsCache;

/** The HTTP application: which service answers which path, the filter, the error mapping. */
public final class Server {
    private Server() {
    }

    /**
     * Everything the routes need, built once per process (or per test).
     *
     * @param catalog  guest catalog reads, on the replica when there is one
     * @param sessions login sessions, and the server's authenticator
     */
    public record App(AppConfig config, Db db, CatalogReads catalog, MarketRegistry markets, Sessions sessions) {

        public static App create(AppConfig config, Db db) {
            return create(config, db, Optional.empty());
        }

        /** @param replica the pool of guest catalog reads ({@code DB_READ_URL}), if any */
        public static App create(AppConfig config, Db db, Optional<Db> replica) {
            CatalogReads catalog = new CatalogReads(db, replica);
            MarketRegistry markets = new MarketRegistry(catalog.reference());
            Tokens tokens = new Tokens(config.jwtSecretBytes(), config.jwtTtl(), Clock.systemUTC());
            return new App(config, db, catalog, markets,
                    new Sessions(db, tokens, config.auth().sessions()));
        }

        /** Access tokens count only while their session is live (the database checks it per request). */
        public Authenticator authenticator() {
            return sessions;
        }

        /**
         * The serving process's pools, checked before any request: the pool's role cannot bypass the
         * policies, the schema is this build's (when {@code serve} did not migrate), and the database
         * (and the replica) verify this server's contexts.
         */
        public static App open(AppConfig config) {
            Db db = Databases.requestPool(config);
            Optional<Db> replica = Databases.catalogReplicaPool(config);
            for (Db pool : replica.isPresent() ? List.of(db, replica.get()) : List.of(db)) {
                Databases.requireSafeLoginRole(pool);
                if (!config.db().migrateOnStart()) {
                    Databases.requireCurrentSchema(pool);
                }
                Databases.requireContextAccepted(pool, config.defaultMarket());
            }
            return create(config, db, replica);
        }

        /** Closes the pools. */
        public void close() {
            if (catalog.reference() != db) {
                catalog.reference().close();
            }
            db.close();
        }
    }

    /** The shipped routing; tests register exactly this. */
    public static void routing(HttpRouting.Builder r, App app) {
        Db db = app.db();
        Query.PageLimit pageLimit = new Query.PageLimit(app.config().limits().maxPageSize());
        r.addFilter((chain, req, res) -> {
            req.context().register(pageLimit);
            chain.proceed();
        });
        r.addFilter(Cors.fromSetting(app.config().corsAllowedOrigins()));
        r.addFilter(new MarketFilter(app.markets(), app.config().defaultMarket(), app.authenticator()));
        r.addFilter(new ManagerGate(db));
        Problems.register(r);
        SessionService sessions = new SessionService(db, app.sessions(), app.config().auth().sessions());
        AppConfig.ListTotals totals = app.config().listTotals();
        TotalsCache managerTotals = new TotalsCache(totals.manager());
        r.register("/api/markets", new MarketService(app.markets()))
                .register("/api/products", new ProductService(app.catalog(), new TotalsCache(totals.catalog())))
                .register("/api/categories", new CategoryService(app.catalog()))
                .register("/api/banners", new BannerService(app.catalog()))
                .register("/api/auth", new AuthService(app.config(), db, app.markets(), app.sessions()))
                .register("/api/auth", sessions.auth())
                .register("/api/sessions", sessions)
                .register("/api/me", new MeService(db))
                .register("/api/addresses", new AddressService(db))
                .register("/api/payment-methods", new PaymentMethodService(db, app.markets()))
                .register("/api/cart", new CartService(db, app.markets()))
                .register("/api/wishlist", new WishlistService(db))
                .register("/api/orders", new OrderService(db, app.markets()))
                .register("/api/notifications", new NotificationService(db))
                .register("/api/manager", new ManagerProfileService(db, app.markets()))
                .register("/api/manager/orders", new ManagerOrderService(db, app.markets(), managerTotals))
                .register("/api/manager/revenue", new RevenueService(db, app.markets(), Clock.systemUTC()))
                .register("/api/manager/products", new ManagerProductService(db, app.markets(), managerTotals))
                .register("/api/manager/categories", new ManagerCategoryService(db, app.markets()))
                .register("/api/manager/banners", new ManagerBannerService(db, app.markets()))
                .register("/api/manager/customers", new ManagerCustomerService(db))
                .register("/api/manager/notifications", new ManagerNotificationService(db))
                .register("/api/manager/audit-log", new AuditLogService(db))
                .any("/api", (req, res) -> {
                    throw ApiException.notFound("Resource");
                })
                .any("/api/*", (req, res) -> {
                    throw ApiException.notFound("Resource");
                });
    }

    /** Serves {@code app} on {@code SERVER_PORT}, with the revenue snapshot job. */
    public static WebServer start(App app) {
        RevenueSnapshotJob.start(app.db(), app.markets(), app.config().revenueSnapshotInterval());
        return configure(WebServer.builder(), app)
                .host(app.config().serverHost())
                .port(app.config().serverPort())
                .build()
                .start();
    }

    /**
     * Every server setting but the host and port: limits, the problem answers of the HTTP layer, observe
     * features and the routing. Production ({@link #start}) and the tests' servers use exactly this.
     */
    public static WebServerConfig.Builder configure(WebServerConfig.Builder server, App app) {
        AppConfig cfg = app.config();
        return server
                .maxPayloadSize(cfg.maxPayloadBytes())
                // exactly one HTTP/1.1 configuration: with a discovered default beside it, the server would have
                // two connection selectors and close the socket on a bad request line instead of answering 400
                .protocolsDiscoverServices(false)
                .protocols(List.of(Http1Config.builder()
                        .maxHeadersSize(cfg.limits().maxHeaderBytes())
                        .maxPrologueLength(cfg.limits().maxRequestLineBytes())
                        .build()))
                .directHandlers(ProblemDirectHandler.handlers())
                .addFeature(ObserveFeature.just(health(app.db()), MetricsObserver.create()))
                .addFeature(OpenApiFeature.builder().build())
                .routing(r -> routing(r, app));
    }

    private static HealthObserver health(Db db) {
        return HealthObserver.builder()
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
    }
}
