package marketbackend.customer;

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

/** {@code GET /api/me}: the logged-in customer; {@code PATCH /api/me {name}} changes the display name. */
public final class MeService implements HttpService {
    private final Db db;

    public MeService(Db db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::me)
                .patch("/", this::rename);
    }

    /** Only the name can change; the phone and the market never do. */
    public record ProfileInput(String name) {
        public ProfileInput {
            name = Fields.optional(name, "name", 200);
        }
    }

    private void me(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        Json.send(res, db.read(ctx, tx -> UserRepository.find(tx, ctx.userId()))
                .orElseThrow(() -> ApiException.notFound("User")));
    }

    private void rename(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.customer(req);
        ProfileInput in = Json.read(req, ProfileInput.class);
        Json.send(res, db.inMarket(ctx, tx -> UserRepository.rename(tx, ctx.userId(), in.name()))
                .orElseThrow(() -> ApiException.notFound("User")));
    }
}
