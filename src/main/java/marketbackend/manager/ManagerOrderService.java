package marketbackend.manager;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.customer.NotificationRepository;
import marketbackend.db.Db;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Query;
import marketbackend.http.TimeParams;
import marketbackend.market.Market;
import marketbackend.market.MarketRegistry;
import marketbackend.order.OrderRepository;
import marketbackend.value.Paging;
import marketbackend.db.TotalsCache;

/**
 * Orders of the managed market: {@code GET /api/manager/orders}, {@code GET|PATCH /api/manager/orders/{id}}.
 * No market condition in the SQL: the orders policy shows the current market's orders only, and
 * only while the manager manages that market.
 */
public final class ManagerOrderService implements HttpService {
    private final Db db;
    private final MarketRegistry markets;
    private final TotalsCache totals;

    public ManagerOrderService(Db db, MarketRegistry markets, TotalsCache totals) {
        this.db = db;
        this.markets = markets;
        this.totals = totals;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::one)
                .patch("/{id}", this::move);
    }

    record ItemJson(long id, Long productId, String productName, int quantity, String unitPrice, String lineTotal) {
    }

    record OrderDetailJson(long id, String market, String orderNumber, long userId, String customerPhone,
                           String status, String totalAmount, String currency, OffsetDateTime orderDate,
                           OffsetDateTime updatedAt, Long addressId, Long paymentMethodId, JsonNode shippingAddress,
                           List<String> nextStatuses, List<ItemJson> items) {
    }

    record StatusBody(String status) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        Market market = markets.require(ctx.market());
        Paging paging = Query.paging(req);
        String status = Query.optionalText(req, "status", 20).orElse(null);
        if (status != null && !OrderLifecycle.isStatus(status)) {
            throw ApiException.badRequest("Query parameter 'status' must be one of "
                    + String.join(", ", OrderLifecycle.STATUSES));
        }
        var from = TimeParams.bound(req, "from", market.zone(), false);
        var to = TimeParams.bound(req, "to", market.zone(), true);
        if (from.isPresent() && to.isPresent() && (to.get().exclusive()
                ? !from.get().at().isBefore(to.get().at()) : from.get().at().isAfter(to.get().at()))) {
            throw ApiException.badRequest("Query parameter 'from' must not be after 'to'");
        }
        var list = OrderRepository.managed(status, from.orElse(null), to.orElse(null));
        Json.send(res, db.read(ctx, tx -> list.page(tx, paging, totals)));
    }

    private void one(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        long id = Query.pathId(req, "id", "Order");
        Json.send(res, db.read(ctx, tx -> detail(tx, id)).orElseThrow(() -> ApiException.notFound("Order")));
    }

    /** Moves an order along its lifecycle, tells the customer, and records it in the audit log. */
    private void move(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        long id = Query.pathId(req, "id", "Order");
        String status = Json.read(req, StatusBody.class).status();
        if (status == null || !OrderLifecycle.isStatus(status)) {
            throw ApiException.unprocessable("Field 'status' must be one of " + String.join(", ", OrderLifecycle.STATUSES));
        }
        String locale = markets.require(ctx.market()).locale();
        OrderDetailJson moved = db.inMarket(ctx, tx -> {
            OrderRepository.Moving current = OrderRepository.lockForMove(tx, id)
                    .orElseThrow(() -> ApiException.notFound("Order"));
            String was = current.status();
            if (!OrderLifecycle.allowed(was, status)) {
                List<String> next = OrderLifecycle.next(was);
                throw ApiException.conflict("The order is " + was + "; it cannot become " + status
                        + (next.isEmpty() ? " (" + was + " is final)" : " (allowed: " + String.join(", ", next) + ")"));
            }
            OrderRepository.setStatus(tx, id, status);
            String orderNumber = current.orderNumber();
            NotificationRepository.send(tx, current.userId(), OrderNotifications.of(locale, status, orderNumber));
            AuditLogRepository.record(tx, "status", "order", id,
                    Map.of("status", was, "order_number", orderNumber),
                    Map.of("status", status, "order_number", orderNumber));
            return detail(tx, id).orElseThrow(() -> ApiException.notFound("Order"));
        });
        Json.send(res, moved);
    }

    private static Optional<OrderDetailJson> detail(Tx tx, long id) {
        return OrderRepository.findManaged(tx, id).map(m -> {
            OrderRepository.ManagedOrderJson o = m.order();
            List<ItemJson> items = m.items().stream().map(i -> new ItemJson(i.id(), i.productId(), i.productName(),
                    i.quantity(), i.unitPrice(), i.lineTotal())).toList();
            return new OrderDetailJson(o.id(), o.market(), o.orderNumber(), o.userId(), o.customerPhone(),
                    o.status(), o.totalAmount(), o.currency(), o.orderDate(), o.updatedAt(), m.addressId(),
                    m.paymentMethodId(), m.shippingAddress(), OrderLifecycle.next(o.status()), items);
        });
    }
}
