package marketbackend.manager;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbRow;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.http.ApiException;
import marketbackend.http.Json;
import marketbackend.http.Page;
import marketbackend.http.Query;
import marketbackend.market.MarketRegistry;

/**
 * {@code /api/manager/banners}: list, read, create, change ({@code PATCH}) and deactivate
 * ({@code DELETE}) banners of the managed market and of ALL (ALL: managers of every market).
 */
public final class ManagerBannerService implements HttpService {
    private static final String SELECT = """
            SELECT id, market, title, image_url, link_url, position, is_active, starts_at, ends_at, created_at
            FROM banners""";

    private static final Deactivation<BannerJson> DEACTIVATION = new Deactivation<>("banner", "Banner",
            "UPDATE banners SET is_active = false WHERE id = ?", (tx, ctx, id) -> find(tx, id), BannerJson::market, BannerJson::isActive);

    private final Db db;
    private final MarketRegistry markets;

    public ManagerBannerService(Db db, MarketRegistry markets) {
        this.db = db;
        this.markets = markets;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .get("/{id}", this::one)
                .patch("/{id}", this::change)
                .delete("/{id}", this::deactivate);
    }

    record BannerJson(long id, String market, String title, String imageUrl, String linkUrl, int position,
                      boolean isActive, OffsetDateTime startsAt, OffsetDateTime endsAt, OffsetDateTime createdAt) {
    }

    record CreateBody(String market, String title, String imageUrl, String linkUrl, Integer position,
                      OffsetDateTime startsAt, OffsetDateTime endsAt) {
    }

    record PatchBody(String title, String imageUrl, String linkUrl, Integer position, OffsetDateTime startsAt,
                     OffsetDateTime endsAt, Boolean isActive) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        Query.Paging paging = Query.paging(req);
        Page<BannerJson> page = db.inMarket(ctx, tx -> {
            List<BannerJson> items = tx.query(SELECT + " ORDER BY position, id LIMIT ? OFFSET ?",
                    paging.size(), paging.offset()).stream().map(ManagerBannerService::toJson).toList();
            long total = tx.get("SELECT count(*) AS n FROM banners").map(r -> Rows.number(r, "n")).orElse(0L);
            return Page.of(items, paging.page(), paging.size(), total);
        });
        Json.send(res, page);
    }

    private void one(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        long id = Query.pathId(req, "id", "Banner");
        Json.send(res, db.inMarket(ctx, tx -> find(tx, id)).orElseThrow(() -> ApiException.notFound("Banner")));
    }

    private void create(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        CreateBody b = Json.read(req, CreateBody.class);
        String title = Validate.text("title", b.title(), 200);
        String imageUrl = Validate.url("image_url", Validate.text("image_url", b.imageUrl(), 1000), false);
        String linkUrl = Validate.url("link_url", b.linkUrl(), true);
        int position = b.position() == null ? 0 : Validate.range("position", b.position(), -1_000_000, 1_000_000);
        requireWindow(b.startsAt(), b.endsAt());
        BannerJson created = db.inMarket(ctx, tx -> {
            String market = CatalogScope.forCreate(tx, ctx, markets, b.market());
            long id = tx.get("""
                    INSERT INTO banners (market, title, image_url, link_url, position, starts_at, ends_at)
                    VALUES (?, ?, ?, CAST(? AS text), ?, CAST(? AS timestamptz), CAST(? AS timestamptz))
                    RETURNING id""", market, title, imageUrl, linkUrl, position, b.startsAt(), b.endsAt())
                    .map(r -> Rows.number(r, "id")).orElseThrow();
            BannerJson after = find(tx, id).orElseThrow();
            Audit.record(tx, "create", "banner", id, null, Audit.json(after));
            return after;
        });
        res.header(HeaderNames.LOCATION, "/api/manager/banners/" + created.id());
        Json.send(res, Status.CREATED_201.code(), created);
    }

    private void change(ServerRequest req, ServerResponse res) {
        RequestContext ctx = ManagerRequests.context(req);
        long id = Query.pathId(req, "id", "Banner");
        Bodies.Partial<PatchBody> body = Bodies.partial(req, PatchBody.class);
        PatchBody b = body.value();
        Updates update = new Updates("banners");
        if (body.has("title")) {
            update.set("title", "text", Validate.text("title", b.title(), 200));
        }
        if (body.has("image_url")) {
            update.set("image_url", "text", Validate.url("image_url", Validate.text("image_url", b.imageUrl(), 1000), false));
        }
        if (body.has("link_url")) {
            update.set("link_url", "text", Validate.url("link_url", b.linkUrl(), true));
        }
        if (body.has("position")) {
            update.set("position", "integer", Validate.range("position", b.position(), -1_000_000, 1_000_000));
        }
        if (body.has("starts_at")) {
            update.set("starts_at", "timestamptz", b.startsAt());
        }
        if (body.has("ends_at")) {
            update.set("ends_at", "timestamptz", b.endsAt());
        }
        if (body.has("is_active")) {
            if (b.isActive() == null) {
                throw ApiException.unprocessable("Field 'is_active' must be true or false");
            }
            update.set("is_active", "boolean", b.isActive());
        }
        BannerJson changed = db.inMarket(ctx, tx -> {
            BannerJson before = find(tx, id).orElseThrow(() -> ApiException.notFound("Banner"));
            CatalogScope.requireWritable(tx, ctx, before.market());
            requireWindow(body.has("starts_at") ? b.startsAt() : before.startsAt(),
                    body.has("ends_at") ? b.endsAt() : before.endsAt());
            if (update.run(tx, id) == 0) {
                throw ApiException.notFound("Banner");
            }
            BannerJson after = find(tx, id).orElseThrow();
            Audit.record(tx, "update", "banner", id, Audit.json(before), Audit.json(after));
            return after;
        });
        Json.send(res, changed);
    }

    private void deactivate(ServerRequest req, ServerResponse res) {
        DEACTIVATION.handle(db, req, res);
    }

    private static void requireWindow(OffsetDateTime startsAt, OffsetDateTime endsAt) {
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            throw ApiException.unprocessable("Field 'ends_at' must be after 'starts_at'");
        }
    }

    private static Optional<BannerJson> find(Tx tx, long id) {
        return tx.get(SELECT + " WHERE id = ?", id).map(ManagerBannerService::toJson);
    }

    private static BannerJson toJson(DbRow r) {
        return new BannerJson(Rows.number(r, "id"), Rows.text(r, "market"), Rows.text(r, "title"),
                Rows.text(r, "image_url"), Rows.text(r, "link_url"), Rows.integer(r, "position"),
                Rows.bool(r, "is_active"), Rows.time(r, "starts_at"), Rows.time(r, "ends_at"),
                Rows.time(r, "created_at"));
    }
}
