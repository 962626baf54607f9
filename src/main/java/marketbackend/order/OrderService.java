package marketbackend.order;

import java.util.List;
import java.util.regex.Pattern;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Query;
import marketbackend.market.MarketRegistry;
import marketbackend.ops.OpsMetrics;
import marketbackend.value.Paging;

/**
 * {@code POST /api/orders} (checkout from the cart, {@code Idempotency-Key} required),
 * {@code GET /api/orders} and {@code GET /api/orders/{id}}. A repeated key answers the order it
 * created (200, same body; header {@code Idempotent-Replayed: true}).
 */
public final class OrderService implements HttpService {
    public static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    public static final HeaderName REPLAYED = HeaderNames.create("Idempotent-Replayed");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private final Db db;
    private final MarketRegistry markets;
    private final Checkout checkout = new Checkout();

    public OrderService(Db db, MarketRegistry markets) {
        this.db = db;
        this.markets = markets;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::place)
                .get("/{id}", this::one);
    }

    private void place(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        String key = idempotencyKey(req);
        OrderInput in = Json.read(req, OrderInput.class);
        var market = markets.require(ctx.market());
        Checkout.Placed placed = db.inMarket(ctx, tx -> checkout.place(tx, ctx.userId(), market, key, in));
        res.header(HeaderNames.LOCATION, "/api/orders/" + placed.order().id());
        if (placed.created()) {
            OpsMetrics.orderPlaced(market.code());
        } else {
            res.header(REPLAYED, "true");
        }
        Json.send(res, placed.created() ? 201 : 200, placed.order());
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        Paging paging = Query.paging(req);
        Json.send(res, db.read(ctx, tx -> OrderRepository.list().page(tx, paging)));
    }

    private void one(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Order");
        Json.send(res, db.read(ctx, tx -> OrderRepository.find(tx, id))
                .orElseThrow(() -> ApiException.notFound("Order")));
    }

    private static String idempotencyKey(ServerRequest req) {
        if (!req.headers().contains(IDEMPOTENCY_KEY)) {
            throw ApiException.badRequest("Send an Idempotency-Key header (e.g. a UUID) with every checkout");
        }
        List<String> values = req.headers().get(IDEMPOTENCY_KEY).allValues();
        if (values.size() != 1 || !KEY.matcher(values.getFirst()).matches()) {
            throw ApiException.badRequest("Idempotency-Key must be one value of 1 to 200 visible ASCII characters");
        }
        return values.getFirst();
    }
}
