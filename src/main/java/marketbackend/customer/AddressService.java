package marketbackend.customer;

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
import marketbackend.value.Paging;

/**
 * {@code /api/addresses}: the customer's delivery addresses. Validated by the market's rules
 * ({@link AddressRules}); market and delivery service are set by the database from the user.
 * The policies show a customer only their own rows: another customer's id answers 404, exactly
 * like a missing one, for reads, updates and deletes alike.
 */
public final class AddressService implements HttpService {
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

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        Paging paging = Query.paging(req);
        Json.send(res, db.read(ctx, tx -> AddressRepository.list().page(tx, paging)));
    }

    private void one(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Address");
        Json.send(res, db.read(ctx, tx -> AddressRepository.find(tx, id)).orElseThrow(AddressService::notFound));
    }

    private void create(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        AddressInput in = AddressRules.normalize(ctx.market(), Json.read(req, AddressInput.class));
        AddressRepository.AddressJson created = db.inMarket(ctx, tx -> AddressRepository.create(tx, ctx.userId(), in));
        res.header(HeaderNames.LOCATION, "/api/addresses/" + created.id());
        Json.send(res, 201, created);
    }

    private void replace(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Address");
        AddressInput in = AddressRules.normalize(ctx.market(), Json.read(req, AddressInput.class));
        Json.send(res, db.inMarket(ctx, tx -> AddressRepository.replace(tx, id, in)).orElseThrow(AddressService::notFound));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        long id = Query.pathId(req, "id", "Address");
        if (!db.inMarket(ctx, tx -> AddressRepository.delete(tx, id))) {
            throw notFound();
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static ApiException notFound() {
        return ApiException.notFound("Address");
    }
}
