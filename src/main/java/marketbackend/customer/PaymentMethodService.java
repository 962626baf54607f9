package marketbackend.customer;

import java.io.IOException;
import java.time.YearMonth;
import java.util.regex.Pattern;

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
import marketbackend.http.Fields;
import marketbackend.http.Json;
import marketbackend.http.Page;
import marketbackend.http.Query;
import marketbackend.market.MarketRegistry;

/**
 * {@code /api/payment-methods}: cards saved as tokens of the market's payment gateway. A body
 * that carries anything that looks like a card number is refused before it is read further;
 * the gateway is set by the database from the market. The token itself is never sent back.
 */
public final class PaymentMethodService implements HttpService {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:+/=-]{1,200}");
    private static final Pattern BRAND = Pattern.compile("[A-Za-z][A-Za-z0-9 _-]{0,29}");
    private static final Pattern LAST4 = Pattern.compile("[0-9]{4}");

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

    /** The request body: a gateway token and what may be shown of the card. */
    public record PaymentMethodInput(String token, String brand, String last4, Integer expMonth, Integer expYear) {
        public PaymentMethodInput {
            token = Fields.required(token, "token", 200);
            if (!TOKEN.matcher(token).matches()) {
                throw new IllegalArgumentException("Field 'token' must be the payment gateway's token");
            }
            brand = Fields.required(brand, "brand", 30);
            if (!BRAND.matcher(brand).matches()) {
                throw new IllegalArgumentException("Field 'brand' must be a card brand, e.g. visa");
            }
            if (last4 == null || !LAST4.matcher(last4).matches()) {
                throw new IllegalArgumentException("Field 'last4' must be the last 4 digits of the card");
            }
            if (expMonth == null || expMonth < 1 || expMonth > 12) {
                throw new IllegalArgumentException("Field 'exp_month' must be 1 to 12");
            }
            if (expYear == null || expYear < 2000 || expYear > 2100) {
                throw new IllegalArgumentException("Field 'exp_year' must be a four-digit year");
            }
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        Query.Paging paging = Query.paging(req);
        Json.send(res, db.read(ctx, tx -> Page.read(tx, paging, PaymentMethodRepository.list())));
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
            tree = Json.MAPPER.readTree(body);
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
