package marketbackend.catalog;

import java.time.OffsetDateTime;
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

/** {@code GET /api/banners}: banners of the market and of ALL that are showing now. */
public final class BannerService implements HttpService {
    private static final String COLUMNS = "id, market, title, image_url, link_url, position, starts_at, ends_at";
    private static final String SHOWING = " WHERE (starts_at IS NULL OR starts_at <= now())"
            + " AND (ends_at IS NULL OR ends_at > now())";

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
        Page<BannerJson> page = db.read(Contexts.of(req), tx -> {
            List<BannerJson> items = tx.query("SELECT " + COLUMNS + " FROM banners" + SHOWING
                            + " ORDER BY position, id LIMIT ? OFFSET ?", paging.size(), paging.offset())
                    .stream().map(BannerService::toJson).toList();
            long total = tx.get("SELECT count(*) AS n FROM banners" + SHOWING)
                    .map(r -> r.column("n").get(Long.class)).orElse(0L);
            return Page.of(items, paging.page(), paging.size(), total);
        });
        Json.send(res, page);
    }

    static BannerJson toJson(DbRow r) {
        return new BannerJson(
                r.column("id").get(Long.class),
                r.column("market").get(String.class),
                r.column("title").get(String.class),
                r.column("image_url").get(String.class),
                r.column("link_url").get(String.class),
                r.column("position").get(Integer.class),
                time(r, "starts_at"),
                time(r, "ends_at"));
    }

    /** The driver returns timestamptz as java.sql.Timestamp, which DbClient cannot map to OffsetDateTime. */
    private static OffsetDateTime time(DbRow r, String column) {
        java.sql.Timestamp t = r.column(column).get(java.sql.Timestamp.class);
        return t == null ? null : t.toInstant().atOffset(java.time.ZoneOffset.UTC);
    }

    public record BannerJson(long id, String market, String title, String imageUrl, String linkUrl, int position,
                             OffsetDateTime startsAt, OffsetDateTime endsAt) {
    }
}
