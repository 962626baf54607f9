package marketbackend.revenue;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

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
import marketbackend.http.TimeParams;
import marketbackend.manager.AuditLogRepository;
import marketbackend.market.Market;
import marketbackend.market.MarketRegistry;
import marketbackend.value.Money;
import marketbackend.value.Paging;
import marketbackend.value.Page;

/**
 * {@code /api/manager/revenue}: a day's revenue of the managed market, computed from its orders;
 * its stored snapshots; and a comparison of every market the manager may manage, each computed in
 * its own transaction under its own market.
 */
public final class RevenueService implements HttpService {
    /** Longest range of one snapshot listing. */
    static final int MAX_RANGE_DAYS = 366;

    private final Db db;
    private final MarketRegistry markets;
    private final Clock clock;

    public RevenueService(Db db, MarketRegistry markets, Clock clock) {
        this.db = db;
        this.markets = markets;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::day)
                .get("/compare", this::compare)
                .get("/snapshots", this::snapshots)
                .post("/snapshots", this::takeSnapshot);
    }

    /** Money as strings ("1250.00"), like every amount the API sends. */
    record FiguresJson(String market, LocalDate date, String currency, String totalRevenue, long totalOrders,
                       String averageOrderValue) {
        static FiguresJson of(RevenueSnapshotRepository.Figures f) {
            return new FiguresJson(f.market(), f.date(), f.currency(), Money.format(f.totalRevenue()), f.totalOrders(),
                    Money.format(f.averageOrderValue()));
        }
    }

    record SnapshotJson(long id, String market, LocalDate date, String currency, String totalRevenue,
                        long totalOrders, String averageOrderValue, OffsetDateTime computedAt) {
        static SnapshotJson of(RevenueSnapshotRepository.Snapshot s) {
            RevenueSnapshotRepository.Figures f = s.figures();
            return new SnapshotJson(s.id(), f.market(), f.date(), f.currency(), Money.format(f.totalRevenue()),
                    f.totalOrders(), Money.format(f.averageOrderValue()), s.computedAt());
        }
    }

    private void day(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        Market market = markets.require(ctx.market());
        LocalDate date = TimeParams.date(req, "date").orElseGet(() -> today(market));
        Json.send(res, FiguresJson.of(db.read(ctx, tx -> RevenueSnapshotRepository.compute(tx, market, date))));
    }

    /** One row per market the manager may manage; each market's day is its own calendar day. */
    private void compare(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        var date = TimeParams.date(req, "date");
        List<String> accessible = Contexts.managerAccess(req).accessibleMarkets();
        List<FiguresJson> rows = db.read(ctx, tx -> {
            List<FiguresJson> figures = new ArrayList<>();
            for (String code : accessible) {
                Market market = markets.require(code);
                LocalDate day = date.orElseGet(() -> today(market));
                // under its own market (verified again): the policies check each market separately
                tx.switchTo(ctx.inMarket(code));
                figures.add(FiguresJson.of(RevenueSnapshotRepository.compute(tx, market, day)));
            }
            return figures;
        });
        Json.send(res, Page.of(rows, 1, rows.size(), rows.size()));
    }

    private void snapshots(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        Market market = markets.require(ctx.market());
        LocalDate to = TimeParams.date(req, "to").orElseGet(() -> today(market));
        LocalDate from = TimeParams.date(req, "from").orElseGet(() -> to.minusDays(29));
        if (from.isAfter(to)) {
            throw ApiException.badRequest("Query parameter 'from' must not be after 'to'");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_RANGE_DAYS) {
            throw ApiException.badRequest("Ask for at most " + MAX_RANGE_DAYS + " days of snapshots at a time");
        }
        Paging paging = Query.paging(req);
        Page<RevenueSnapshotRepository.Snapshot> page = db.read(ctx,
                tx -> RevenueSnapshotRepository.snapshots(from, to).page(tx, paging));
        Json.send(res, Page.of(page.items().stream().map(SnapshotJson::of).toList(), page.page(), page.size(),
                page.total()));
    }

    /** Computes the day now and stores it as its snapshot (the scheduled job does the same). */
    private void takeSnapshot(ServerRequest req, ServerResponse res) {
        RequestContext ctx = Contexts.manager(req);
        Market market = markets.require(ctx.market());
        LocalDate date = TimeParams.date(req, "date").orElseGet(() -> today(market));
        if (date.isAfter(today(market))) {
            throw ApiException.badRequest("Query parameter 'date' is in the future of the " + market.code() + " market");
        }
        RevenueSnapshotRepository.Snapshot snapshot = db.inMarket(ctx, tx -> {
            RevenueSnapshotRepository.Snapshot s = RevenueSnapshotRepository.upsert(tx,
                    RevenueSnapshotRepository.compute(tx, market, date));
            AuditLogRepository.record(tx, "snapshot", "revenue_snapshot", s.id(), null, SnapshotJson.of(s));
            return s;
        });
        Json.send(res, SnapshotJson.of(snapshot));
    }

    private LocalDate today(Market market) {
        return LocalDate.now(clock.withZone(market.zone()));
    }
}
