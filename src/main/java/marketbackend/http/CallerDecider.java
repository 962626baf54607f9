package marketbackend.http;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.RoutingRequest;

import marketbackend.context.Caller;
import marketbackend.context.ManagerAccess;
import marketbackend.context.Principal;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.manager.ManagerMarkets;
import marketbackend.market.MarketRegistry;

/**
 * Decides who is calling and which market serves the request (docs/DESIGN.md, "How the market of a
 * request is decided"): the X-Market header, the bearer token, and for a manager their record,
 * read in a transaction it opens and passes on in the context, so that the request is one transaction.
 */
final class CallerDecider {
    private static final String MANAGER_PATH = "/api/manager";
    /** Guest paths served whether or not the guest's market is open: the market list, and login (the phone's market). */
    private static final List<String> ANY_MARKET = List.of("/api/markets", "/api/auth");
    /** What a customer of a closed market may not do: these writes under these paths (DELETE stays allowed). */
    private static final Set<Method> CLOSED_TO_CUSTOMERS = Set.of(Method.POST, Method.PUT, Method.PATCH);
    private static final List<String> SHOPPING = List.of("/api/cart", "/api/orders", "/api/addresses",
            "/api/payment-methods");

    private final MarketRegistry markets;
    private final String defaultMarket;
    private final Authenticator authenticator;
    private final ManagerMarkets managerMarkets;
    private final Db db;

    CallerDecider(MarketRegistry markets, String defaultMarket, Authenticator authenticator,
                  ManagerMarkets managerMarkets, Db db) {
        this.markets = markets;
        this.defaultMarket = defaultMarket;
        this.authenticator = authenticator;
        this.managerMarkets = managerMarkets;
        this.db = db;
    }

    /** The caller; a manager's context carries the transaction their record was read in. */
    Caller decide(RoutingRequest req, String path, String requestId, String clientRequestId) {
        Decision decision = decide(req, path, requestId);
        RequestContext ctx = decision.ctx().withClientRequestId(clientRequestId);
        if (decision.held() != null) {
            ctx = ctx.inTransaction(decision.held());
        }
        return new Caller(ctx, decision.requested().orElse(null), decision.manager());
    }

    /** The request's context and the market asked for; for a manager, their record and the transaction it was read in. */
    private record Decision(RequestContext ctx, Optional<String> requested, ManagerAccess manager, Db.Held held) {
        Decision(RequestContext ctx, Optional<String> requested) {
            this(ctx, requested, null, null);
        }
    }

    private Decision decide(RoutingRequest req, String path, String requestId) {
        Optional<String> requested = requestedMarket(req);
        Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION);
        boolean managerPath = path.equals(MANAGER_PATH) || path.startsWith(MANAGER_PATH + "/");
        if (authorization.isEmpty()) {
            if (managerPath) {
                throw ApiException.unauthorized("Log in as a manager to use /api/manager");
            }
            String market = requested.orElse(defaultMarket);
            return new Decision(RequestContext.guest(
                    ANY_MARKET.stream().anyMatch(p -> under(path, p)) ? market : openForGuests(market), requestId),
                    requested);
        }
        Principal principal = authenticator.authenticate(authorization.get());
        if (managerPath) {
            return managerContext(principal, requested, requestId);
        }
        if (requested.isPresent() && !requested.get().equals(principal.market())) {
            throw ApiException.forbidden("Your account belongs to the " + principal.market()
                    + " market; X-Market " + requested.get() + " is not allowed");
        }
        if (CLOSED_TO_CUSTOMERS.contains(req.prologue().method()) && SHOPPING.stream().anyMatch(p -> under(path, p))
                && markets.find(principal.market()).isEmpty()) {
            throw new ApiException(409, "Conflict", "The " + principal.market() + " market is closed: "
                    + "carts, orders, addresses and payment methods can be read and deleted, not added or changed");
        }
        return new Decision(RequestContext.customer(principal.market(), principal.userId(), requestId)
                .inSession(principal.sessionId()), requested);
    }

    /** A guest's market must be open; a closed one answers like an unknown code. */
    private String openForGuests(String market) {
        if (markets.find(market).isEmpty()) {
            throw unknownMarket(market);
        }
        return market;
    }

    private ApiException unknownMarket(String value) {
        return ApiException.badRequest("Unknown market '" + printable(value)
                + "'; use one of " + String.join(", ", markets.all().stream().map(m -> m.code()).toList()));
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private Decision managerContext(Principal principal, Optional<String> requested, String requestId) {
        if (!principal.manager()) {
            throw ApiException.forbidden("Manager access required");
        }
        Db.Held held = db.hold(RequestContext.manager(requested.orElse(null), principal.userId(), requestId)
                .inSession(principal.sessionId()));
        try {
            ManagerAccess access = managerMarkets.lookup(held.tx())
                    .orElseThrow(() -> ApiException.forbidden("Manager access required"));
            return new Decision(RequestContext.manager(market(access, requested), principal.userId(), requestId)
                    .inSession(principal.sessionId()), requested, access, held);
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** The X-Market header, else the saved active market, else the first accessible one; 403 if not managed. */
    private static String market(ManagerAccess access, Optional<String> requested) {
        List<String> accessible = access.accessibleMarkets();
        String market = requested.orElseGet(access::defaultMarket);
        if (market == null) {
            throw ApiException.forbidden("No market is assigned to this manager");
        }
        if (!accessible.contains(market)) {
            throw ApiException.forbidden("No access to " + market + " market");
        }
        return market;
    }

    /** The X-Market header: absent, or exactly one value that is a market code (open or closed). */
    private Optional<String> requestedMarket(RoutingRequest req) {
        if (!req.headers().contains(MarketFilter.X_MARKET)) {
            return Optional.empty();
        }
        List<String> values = req.headers().get(MarketFilter.X_MARKET).allValues();
        if (values.size() != 1) {
            throw ApiException.badRequest("Send X-Market once, with one market code");
        }
        String value = values.getFirst();
        // closed markets are known: their customers and managers still name them
        if (markets.known(value).isEmpty()) {
            throw unknownMarket(value);
        }
        return Optional.of(value);
    }

    private static String printable(String value) {
        String cut = value.length() > 20 ? value.substring(0, 20) + "…" : value;
        StringBuilder sb = new StringBuilder();
        cut.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                sb.appendCodePoint(c);
            } else {
                sb.append('?');
            }
        });
        return sb.toString();
    }
}
