package marketbackend.catalog;

import java.util.function.Supplier;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.db.CatalogReads;
import marketbackend.db.Listing;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Query;
import marketbackend.value.Paging;

/** A storefront list without filters: {@code GET /} answers a page of {@code list}, as the market sees it. */
abstract class Shelf implements HttpService {
    private final CatalogReads db;
    private final Supplier<Listing<?>> list;

    Shelf(CatalogReads db, Supplier<Listing<?>> list) {
        this.db = db;
        this.list = list;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Paging paging = Query.paging(req);
        Json.send(res, db.read(Contexts.of(req), tx -> list.get().page(tx, paging)));
    }
}
