package marketbackend.manager;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.catalog.BannerRepository.ManagedBannerJson;
import marketbackend.catalog.BannerRepository;
import marketbackend.catalog.CatalogScope;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.http.ApiException;
import marketbackend.http.Contexts;
import marketbackend.http.Json;
import marketbackend.http.Query;
import marketbackend.market.MarketRegistry;
import marketbackend.value.Paging;

/**
 * {@code /api/manager/banners}: list, read, create, change ({@code PATCH}) and deactivate
 * ({@code DELETE}) banners of the managed market and of ALL (ALL: managers of every market).
 */
public final class ManagerBannerService implements HttpService {
    private static final ManagerCatalogSteps<ManagedBannerJson> ROWS = new ManagerCatalogSteps<>("banner", "Banner",
            "/api/manager/banners", (tx, ctx, id) -> BannerRepository.findManaged(tx, id),
            BannerRepository::update, ManagedBannerJson::market, ManagedBannerJson::isActive);

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
                .get("/{id}", (req, res) -> ROWS.one(db, req, res))
                .patch("/{id}", this::change)
                .delete("/{id}", (req, res) -> ROWS.deactivate(db, req, res));
    }

    record CreateBody(String market, String title, String imageUrl, String linkUrl, Integer position,
                      OffsetDateTime startsAt, OffsetDateTime endsAt) {
    }

    record PatchBody(String title, String imageUrl, String linkUrl, Integer position, OffsetDateTime startsAt,
                     OffsetDateTime endsAt, Boolean isActive) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        Paging paging = Query.paging(req);
        Json.send(res, db.inMarket(ctx, tx -> BannerRepository.managed().page(tx, paging)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        CreateBody b = Json.read(req, CreateBody.class);
        String title = Validate.text("title", b.title(), 200);
        String imageUrl = imageUrl(b.imageUrl());
        String linkUrl = Validate.url("link_url", b.linkUrl(), true);
        int position = b.position() == null ? 0 : Validate.position(b.position());
        requireWindow(b.startsAt(), b.endsAt());
        ManagedBannerJson created = db.inMarket(ctx, tx -> {
            String market = CatalogScope.forCreate(tx, ctx, markets, b.market());
            long id = BannerRepository.create(tx, market, title, imageUrl, linkUrl, position, b.startsAt(), b.endsAt());
            return ROWS.audited(tx, ctx, "create", id, null);
        });
        ROWS.sendCreated(res, created.id(), created);
    }

    private void change(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        long id = ROWS.id(req);
        Bodies.Partial<PatchBody> body = Bodies.partial(req, PatchBody.class);
        PatchBody b = body.value();
        Map<String, Object> changes = new LinkedHashMap<>();
        if (body.has("title")) {
            changes.put("title", Validate.text("title", b.title(), 200));
        }
        if (body.has("image_url")) {
            changes.put("image_url", imageUrl(b.imageUrl()));
        }
        if (body.has("link_url")) {
            changes.put("link_url", Validate.url("link_url", b.linkUrl(), true));
        }
        if (body.has("position")) {
            changes.put("position", Validate.position(b.position()));
        }
        if (body.has("starts_at")) {
            changes.put("starts_at", b.startsAt());
        }
        if (body.has("ends_at")) {
            changes.put("ends_at", b.endsAt());
        }
        if (body.has("is_active")) {
            changes.put("is_active", Validate.bool("is_active", b.isActive()));
        }
        ManagedBannerJson changed = db.inMarket(ctx, tx -> {
            ManagedBannerJson before = ROWS.existing(tx, ctx, id);
            CatalogScope.requireWritable(tx, ctx, before.market());
            requireWindow(body.has("starts_at") ? b.startsAt() : before.startsAt(),
                    body.has("ends_at") ? b.endsAt() : before.endsAt());
            ROWS.requireWritten(BannerRepository.update(tx, id, changes));
            return ROWS.audited(tx, ctx, "update", id, before);
        });
        Json.send(res, changed);
    }

    private static String imageUrl(String value) {
        return Validate.url("image_url", Validate.text("image_url", value, 1000), false);
    }

    private static void requireWindow(OffsetDateTime startsAt, OffsetDateTime endsAt) {
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
            throw ApiException.unprocessable("Field 'ends_at' must be after 'starts_at'");
        }
    }
}
