package marketbackend.catalog;

import java.util.List;

import io.helidon.dbclient.DbRow;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.db.CatalogReads;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Page;
import marketbackend.http.Query;

/** {@code GET /api/categories}: the categories of the market and of ALL. */
public final class CategoryService implements HttpService {
    private static final String COLUMNS = "id, market, parent_id, name, position";

    private final CatalogReads db;

    public CategoryService(CatalogReads db) {
        this.db = db;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Query.Paging paging = Query.paging(req);
        Page<CategoryJson> page = db.read(Contexts.of(req), tx -> {
            List<CategoryJson> items = tx.query("SELECT " + COLUMNS + " FROM categories ORDER BY position, id LIMIT ? OFFSET ?",
                    paging.size(), paging.offset()).stream().map(CategoryService::toJson).toList();
            long total = tx.get("SELECT count(*) AS n FROM categories").map(r -> r.column("n").get(Long.class)).orElse(0L);
            return Page.of(items, paging.page(), paging.size(), total);
        });
        Json.send(res, page);
    }

    static CategoryJson toJson(DbRow r) {
        return new CategoryJson(
                r.column("id").get(Long.class),
                r.column("market").get(String.class),
                r.column("parent_id").get(Long.class),
                r.column("name").get(String.class),
                r.column("position").get(Integer.class));
    }

    public record CategoryJson(long id, String market, Long parentId, String name, int position) {
    }
}
