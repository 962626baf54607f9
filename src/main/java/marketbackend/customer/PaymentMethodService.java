package marketbackend.customer;

import java.io.IOException;
import java.time.YearMonth;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
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
import marketbackend.value.JsonCodec;
import marketbackend.value.Paging;

/**
 * {@code /api/payment-methods}: cards saved as tokens of the market's payment gateway. A body
 * that carries anything that looks like a card number is refused before it is read further;
 * the gateway is set by the database from the market. The token itself is never sent back.
 */
public final class PaymentMethodService implements HttpService {

    private final Db db;
    private final MarketRegistry markets;

    public PaymentMethodService(Db db, MarketRegistry markets) {
        this.db = db;
        this.markets = markets;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .get("/{id}", this::one)
                .delete("/{id}", this::delete);
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        Paging paging = Query.paging(req);
        Json.send(res, db.read(ctx, tx -> PaymentMethodRepository.list().page(tx, paging)));
    }

    private void one(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Payment method");
        Json.send(res, db.read(ctx, tx -> PaymentMethodRepository.find(tx, id)).orElseThrow(PaymentMethodService::notFound));
    }

    private void create(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        byte[] body = Json.body(req);
        refuseCardNumbers(body);
        PaymentMethodInput in = Json.parse(body, PaymentMethodInput.class);
        // a card is valid through the last day of its expiry month, in the market's time zone
        YearMonth now = YearMonth.now(markets.require(ctx.market()).zone());
        if (YearMonth.of(in.expYear(), in.expMonth()).isBefore(now)) {
            throw ApiException.unprocessable("The card has expired");
        }
        PaymentMethodRepository.PaymentMethodJson created = db.inMarket(ctx,
                tx -> PaymentMethodRepository.create(tx, ctx.userId(), in));
        res.header(HeaderNames.LOCATION, "/api/payment-methods/" + created.id());
        Json.send(res, 201, created);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Payment method");
        if (!db.inMarket(ctx, tx -> PaymentMethodRepository.delete(tx, id))) {
            throw notFound();
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static void refuseCardNumbers(byte[] body) {
        JsonNode tree;
        try {
            tree = JsonCodec.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("Malformed JSON");
        }
        if (CardNumbers.containsCardNumber(tree)) {
            throw ApiException.unprocessable("Card numbers are never accepted: send the token of the market's "
                    + "payment gateway, with brand, last4 and expiry");
        }
    }

    private static ApiException notFound() {
        return ApiException.notFound("Payment method");
    }
}
