package marketbackend.manager;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.dbclient.DbRow;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Money;
import marketbackend.http.Page;
import marketbackend.http.Query;
import marketbackend.http.TimeParams;
import marketbackend.http.TotalsCache;
import marketbackend.market.Market;
import marketbackend.market.MarketRegistry;

/**
 * Orders of the managed market: {@code GET /api/manager/orders}, {@code GET|PATCH /api/manager/orders/{id}}.
 * No market condition in the SQL: the orders policy shows the current market's orders only, and
 * only while the manager manages that market.
 */
public final class ManagerOrderService implements HttpService {
    private static final String COLUMNS = """
            o.id, o.market, o.order_number, o.user_id, u.phone AS customer_phone, o.status,
            o.total_amount, o.currency, o.order_date, o.updated_at""";
    private static final String FROM = "orders o LEFT JOIN users u ON u.id = o.user_id";

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

    record OrderJson(long id, String market, String orderNumber, long userId, String customerPhone, String status,
                     String totalAmount, String currency, OffsetDateTime orderDate, OffsetDateTime updatedAt) {
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
        Query.Paging paging = Query.paging(req);
        Listing<OrderJson> list = Listing.of(COLUMNS, FROM, ManagerOrderService::toJson).countFrom("orders o")
                .orderBy("o.order_date DESC, o.id DESC");
        Query.optionalText(req, "status", 20).ifPresent(s -> {
            if (!OrderLifecycle.isStatus(s)) {
                throw ApiException.badRequest("Query parameter 'status' must be one of "
                        + String.join(", ", OrderLifecycle.STATUSES));
            }
            list.where("o.status = ?", s);
        });
        var from = TimeParams.bound(req, "from", market.zone(), false);
        var to = TimeParams.bound(req, "to", market.zone(), true);
        if (from.isPresent() && to.isPresent() && (to.get().exclusive()
                ? !from.get().at().isBefore(to.get().at()) : from.get().at().isAfter(to.get().at()))) {
            throw ApiException.badRequest("Query parameter 'from' must not be after 'to'");
        }
        from.ifPresent(b -> list.where("o.order_date >= ?", b.at()));
        to.ifPresent(b -> list.where(b.exclusive() ? "o.order_date < ?" : "o.order_date <= ?", b.at()));
        Json.send(res, db.read(ctx, tx -> Page.read(tx, paging, list, totals)));
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
            // FOR UPDATE: two managers moving the same order are serialized, the second sees the new status
            DbRow current = tx.get("SELECT o.status, o.user_id, o.order_number FROM orders o WHERE o.id = ? FOR UPDATE", id)
                    .orElseThrow(() -> ApiException.notFound("Order"));
            String was = Rows.text(current, "status");
            if (!OrderLifecycle.allowed(was, status)) {
                List<String> next = OrderLifecycle.next(was);
                throw ApiException.conflict("The order is " + was + "; it cannot become " + status
                        + (next.isEmpty() ? " (" + was + " is final)" : " (allowed: " + String.join(", ", next) + ")"));
            }
            tx.dml("UPDATE orders SET status = ?, updated_at = now() WHERE id = ?", status, id);
            String orderNumber = Rows.text(current, "order_number");
            OrderNotifications.Text text = OrderNotifications.of(locale, status, orderNumber);
            // the notification's market and locale are set by the database from the customer
            tx.dml("INSERT INTO notifications (user_id, title, body) VALUES (?, ?, ?)",
                    Rows.number(current, "user_id"), text.title(), text.body());
            Audit.record(tx, "status", "order", id,
                    Audit.json(Map.of("status", was, "order_number", orderNumber)),
                    Audit.json(Map.of("status", status, "order_number", orderNumber)));
            return detail(tx, id).orElseThrow(() -> ApiException.notFound("Order"));
        });
        Json.send(res, moved);
    }

    private static Optional<OrderDetailJson> detail(Tx tx, long id) {
        return tx.get("SELECT " + COLUMNS + ", o.address_id, o.payment_method_id,"
                + " CAST(o.shipping_address AS text) AS shipping_address FROM " + FROM + " WHERE o.id = ?", id).map(r -> {
                    List<ItemJson> items = tx.query("""
                            SELECT id, product_id, product_name, quantity, unit_price, line_total
                            FROM order_items WHERE order_id = ? ORDER BY id""", id).stream()
                            .map(i -> new ItemJson(Rows.number(i, "id"), Rows.optionalNumber(i, "product_id"),
                                    Rows.text(i, "product_name"), Rows.integer(i, "quantity"),
                                    Money.format(Rows.decimal(i, "unit_price")), Money.format(Rows.decimal(i, "line_total"))))
                            .toList();
                    OrderJson o = toJson(r);
                    return new OrderDetailJson(o.id(), o.market(), o.orderNumber(), o.userId(), o.customerPhone(),
                            o.status(), o.totalAmount(), o.currency(), o.orderDate(), o.updatedAt(),
                            Rows.optionalNumber(r, "address_id"), Rows.optionalNumber(r, "payment_method_id"),
                            Rows.optionalJson(r, "shipping_address"), OrderLifecycle.next(o.status()), items);
                });
    }

    private static OrderJson toJson(DbRow r) {
        return new OrderJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "order_number"),
                Rows.number(r, "user_id"), Rows.optionalText(r, "customer_phone"), Rows.text(r, "status"),
                Money.format(Rows.decimal(r, "total_amount")), Rows.text(r, "currency"),
                Rows.time(r, "order_date"), Rows.time(r, "updated_at"));
    }
}
