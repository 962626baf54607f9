package marketbackend.revenue;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import marketbackend.context.Actor;
import marketbackend.context.RequestContext;
import marketbackend.db.Db;
import marketbackend.db.Rows;
import marketbackend.market.Market;
import marketbackend.market.MarketRegistry;

/**
 * Fills {@code revenue_snapshots} on a schedule: for every market, open or closed (a closed market's
 * orders still change status), today and yesterday of
 * that market's own calendar (yesterday so that a day's final figures are stored after its midnight).
 *
 * <p>Its database identity: the job has no user, so it does not pretend to be a manager. Each market
 * runs in its own transaction as the dedicated role {@code market_reporter} (db-policies/roles.sql)
 * under a signed context that names that market and no user. That role may read five columns of the
 * market's orders and write the market's snapshots, nothing else (R__50_orders.sql, R__60_managers.sql).
 * It writes no audit_log rows: those record what a manager did.
 *
 * <p>{@code REVENUE_SNAPSHOT_INTERVAL_MINUTES} (default 15; 0 turns the job off) sets how often it runs.
 * Every server instance schedules it; a market's day is computed once per interval across all of
 * them: under a transaction-level advisory lock, and only if no instance stored it within the interval.
 */
public final class RevenueSnapshotJob {
    private static final System.Logger LOG = System.getLogger(RevenueSnapshotJob.class.getName());

    /** Namespace of the advisory locks that let one instance at a time compute a market's day. */
    private static final int SNAPSHOT_LOCK = 0x52455631;

    private final Db db;
    private final MarketRegistry markets;
    private final Clock clock;
    private final Duration interval;

    /** A job that computes every day it is asked for (one instance at a time). */
    public RevenueSnapshotJob(Db db, MarketRegistry markets, Clock clock) {
        this(db, markets, clock, Duration.ZERO);
    }

    /** @param interval a day stored by any instance within this long is not computed again */
    public RevenueSnapshotJob(Db db, MarketRegistry markets, Clock clock, Duration interval) {
        this.db = db;
        this.markets = markets;
        this.clock = clock;
        this.interval = interval;
    }

    /** Starts the schedule unless the interval is 0; the first run is one minute after start. */
    public static Optional<ScheduledExecutorService> start(Db db, MarketRegistry markets, Duration interval) {
        if (interval.isZero()) {
            LOG.log(System.Logger.Level.INFO, "Revenue snapshot job is off (REVENUE_SNAPSHOT_INTERVAL_MINUTES=0)");
            return Optional.empty();
        }
        RevenueSnapshotJob job = new RevenueSnapshotJob(db, markets, Clock.systemUTC(), interval);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "revenue-snapshots");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(job::runSafely, 1, interval.toMinutes(), TimeUnit.MINUTES);
        LOG.log(System.Logger.Level.INFO, "Revenue snapshot job runs every " + interval.toMinutes() + " min");
        return Optional.of(scheduler);
    }

    /**
     * One pass over every market: the snapshots this instance computed (another instance may have the
     * rest). A failing market is logged and does not stop the others.
     */
    public List<RevenueSnapshotRepository.Snapshot> runOnce() {
        List<RevenueSnapshotRepository.Snapshot> done = new ArrayList<>();
        for (Market market : markets.withClosed()) {
            LocalDate today = LocalDate.now(clock.withZone(market.zone()));
            for (LocalDate day : List.of(today.minusDays(1), today)) {
                try {
                    claimedSnapshot(market, day).ifPresent(done::add);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Revenue snapshot of " + market.code() + " " + day
                            + " failed: " + e.getMessage(), e);
                }
            }
        }
        return done;
    }

    /**
     * The snapshot of one market and day, in a transaction of that market only, unless another instance is computing it right now or
     * stored it within the interval. The lock is taken before the freshness check, so the check
     * (a new statement, a new snapshot) sees whatever the previous holder committed.
     */
    private Optional<RevenueSnapshotRepository.Snapshot> claimedSnapshot(Market market, LocalDate day) {
        RequestContext ctx = new RequestContext(Actor.REPORTER, market.code(), null,
                "revenue-job-" + UUID.randomUUID(), null);
        return db.inMarket(ctx, tx -> {
            boolean mine = Rows.bool(tx.get("SELECT pg_try_advisory_xact_lock(?, ?) AS mine", SNAPSHOT_LOCK,
                    (market.code() + ' ' + day).hashCode()).orElseThrow(), "mine");
            if (!mine || !interval.isZero() && RevenueSnapshotRepository.storedWithin(tx, day, interval)) {
                return Optional.empty();
            }
            return Optional.of(RevenueSnapshotRepository.upsert(tx, RevenueSnapshotRepository.compute(tx, market, day)));
        });
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // never let an exception cancel the schedule
            LOG.log(System.Logger.Level.WARNING, "Revenue snapshot job failed: " + e.getMessage(), e);
        }
    }
}
