package marketbackend.customer;

import java.time.OffsetDateTime;

import io.helidon.dbclient.DbRow;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Fields;
import marketbackend.http.Json;
import marketbackend.http.Page;
import marketbackend.http.Query;

/**
 * {@code /api/addresses}: the customer's delivery addresses. Validated by the market's rules
 * ({@link AddressRules}); market and delivery service are set by the database from the user.
 * The policies show a customer only their own rows: another customer's id answers 404, exactly
 * like a missing one, for reads, updates and deletes alike.
 */
public final class AddressService implements HttpService {
    private static final String COLUMNS = "id, market, line1, line2, city, region, postal_code, delivery_service, created_at";

    private final Db db;

    public AddressService(Db db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .get("/{id}", this::one)
                .put("/{id}", this::replace)
                .delete("/{id}", this::delete);
    }

    /** The request body: {@code {line1, line2?, city, region, postal_code}}. */
    public record AddressInput(String line1, String line2, String city, String region, String postalCode) {
        public AddressInput {
            line1 = Fields.required(line1, "line1", 200);
            line2 = Fields.optional(line2, "line2", 200);
            city = Fields.required(city, "city", 100);
            region = Fields.required(region, "region", 100);
            postalCode = Fields.required(postalCode, "postal_code", 20);
        }
    }

    public record AddressJson(long id, String market, String line1, String line2, String city, String region,
                              String postalCode, String deliveryService, OffsetDateTime createdAt) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        Query.Paging paging = Query.paging(req);
        Json.send(res, db.read(ctx, tx -> Page.read(tx, paging,
                Listing.of(COLUMNS, "addresses", AddressService::toJson).orderBy("id"))));
    }

    private void one(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Address");
        Json.send(res, db.read(ctx, tx -> tx.get("SELECT " + COLUMNS + " FROM addresses WHERE id = ?", id))
                .map(AddressService::toJson).orElseThrow(AddressService::notFound));
    }

    private void create(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        AddressInput in = AddressRules.normalize(ctx.market(), Json.read(req, AddressInput.class));
        AddressJson created = db.inMarket(ctx, tx -> tx.get("""
                INSERT INTO addresses (user_id, line1, line2, city, region, postal_code)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING\s""" + COLUMNS,
                ctx.userId(), in.line1(), in.line2(), in.city(), in.region(), in.postalCode()))
                .map(AddressService::toJson).orElseThrow();
        res.header(HeaderNames.LOCATION, "/api/addresses/" + created.id());
        Json.send(res, 201, created);
    }

    private void replace(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Address");
        AddressInput in = AddressRules.normalize(ctx.market(), Json.read(req, AddressInput.class));
        Json.send(res, db.inMarket(ctx, tx -> tx.get("""
                UPDATE addresses SET line1 = ?, line2 = ?, city = ?, region = ?, postal_code = ?
                WHERE id = ? RETURNING\s""" + COLUMNS,
                in.line1(), in.line2(), in.city(), in.region(), in.postalCode(), id))
                .map(AddressService::toJson).orElseThrow(AddressService::notFound));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Address");
        long deleted = db.inMarket(ctx, tx -> tx.dml("DELETE FROM addresses WHERE id = ?", id));
        if (deleted == 0) {
            throw notFound();
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static ApiException notFound() {
        return ApiException.notFound("Address");
    }

    static AddressJson toJson(DbRow r) {
        return new AddressJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "line1"),
                Rows.optionalText(r, "line2"), Rows.text(r, "city"), Rows.text(r, "region"), Rows.text(r, "postal_code"),
                Rows.text(r, "delivery_service"), Rows.time(r, "created_at"));
    }
}
