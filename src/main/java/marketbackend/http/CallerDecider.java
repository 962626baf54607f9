package marketbackend.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.RoutingRequest;

import marketbackend.context.Caller;
import marketbackend.context.Principal;
import marketbackend.context.RequestContext;
import marketbackend.context.RequestTransaction;

/**
 * Decides who is calling and which market serves the request (docs/DESIGN.md, "How the market of a
 * request is decided"), from the X-Market header and the bearer token, each read once here. A
 * manager's market needs their record: {@code manager/ManagerGate} decides it, in the request's
 * transaction.
 */
final class CallerDecider {
    private static final String MANAGER_PATH = "/api/manager";
    /** Guest paths served whether or not the guest's market is open: the market list, and login (the phone's market). */
    private static final List<String> ANY_MARKET = List.of("/api/markets", "/api/auth");
    /** What a customer of a closed market may not do: these writes under these paths (DELETE stays allowed). */
    private static final Set<Method> CLOSED_TO_CUSTOMERS = Set.of(Method.POST, Method.PUT, Method.PATCH);
    private static final List<String> SHOPPING = List.of("/api/cart", "/api/orders", "/api/addresses",
            "/api/payment-methods");

    private final MarketCodes markets;
    private final String defaultMarket;
    private final Authenticator authenticator;

    CallerDecider(MarketCodes markets, String defaultMarket, Authenticator authenticator) {
        this.markets = markets;
        this.defaultMarket = defaultMarket;
        this.authenticator = authenticator;
    }

    /** The caller; a manager's market is left to the manager API's gate, which reads their record. */
    Caller decide(RoutingRequest req, String path, String requestId, String clientRequestId) {
        Optional<String> requested = requestedMarket(req);
        RequestContext ctx = context(req, path, requested, requestId)
                .withClientRequestId(clientRequestId)
                .inTransaction(RequestTransaction.unopened());
        return new Caller(ctx, requested.orElse(null), clientAddress(req), null);
    }

    private RequestContext context(RoutingRequest req, String path, Optional<String> requested, String requestId) {
        Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION);
        boolean managerPath = path.equals(MANAGER_PATH) || path.startsWith(MANAGER_PATH + "/");
        if (authorization.isEmpty()) {
            if (managerPath) {
                throw ApiException.unauthorized("Log in as a manager to use /api/manager");
            }
            String market = requested.orElse(defaultMarket);
            return RequestContext.guest(
                    ANY_MARKET.stream().anyMatch(p -> under(path, p)) ? market : openForGuests(market), requestId);
        }
        Principal principal = authenticator.authenticate(authorization.get());
        if (managerPath) {
            if (!principal.manager()) {
                throw ApiException.forbidden("Manager access required");
            }
            return RequestContext.manager(null, principal.userId(), requestId).inSession(principal.sessionId());
        }
        if (requested.isPresent() && !requested.get().equals(principal.market())) {
            throw ApiException.forbidden("Your account belongs to the " + principal.market()
                    + " market; X-Market " + requested.get() + " is not allowed");
        }
        if (CLOSED_TO_CUSTOMERS.contains(req.prologue().method()) && SHOPPING.stream().anyMatch(p -> under(path, p))
                && !markets.isOpen(principal.market())) {
            throw new ApiException(409, "Conflict", "The " + principal.market() + " market is closed: "
                    + "carts, orders, addresses and payment methods can be read and deleted, not added or changed");
        }
        return RequestContext.customer(principal.market(), principal.userId(), requestId)
                .inSession(principal.sessionId());
    }

    /** A guest's market must be open; a closed one answers like an unknown code. */
    private String openForGuests(String market) {
        if (!markets.isOpen(market)) {
            throw unknownMarket(market);
        }
        return market;
    }

    private ApiException unknownMarket(String value) {
        return ApiException.badRequest("Unknown market '" + printable(value)
                + "'; use one of " + String.join(", ", markets.openCodes()));
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
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
        if (!markets.isKnown(value)) {
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

    /** The client's address; IPv6 clients by their /64, which one subscriber usually holds whole. */
    private static String clientAddress(RoutingRequest req) {
        if (req.remotePeer().address() instanceof InetSocketAddress socket && socket.getAddress() != null) {
            InetAddress ip = socket.getAddress();
            if (ip instanceof Inet6Address) {
                byte[] prefix = Arrays.copyOf(ip.getAddress(), 16);
                Arrays.fill(prefix, 8, 16, (byte) 0);
                try {
                    return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
                } catch (java.net.UnknownHostException e) {
                    return ip.getHostAddress();
                }
            }
            return ip.getHostAddress();
        }
        return req.remotePeer().host();
    }
}
