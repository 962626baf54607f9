package marketbackend.catalog;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.db.CatalogReads;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Page;
import marketbackend.http.Query;

/** {@code GET /api/banners}: banners of the market and of ALL that are showing now. */
public final class BannerService implements HttpService {
    private final CatalogReads db;

    public BannerService(CatalogReads db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Query.Paging paging = Query.paging(req);
        Json.send(res, db.read(Contexts.of(req), tx -> Page.read(tx, paging, BannerRepository.shelf())));
    }
}
