package marketbackend.revenue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.helidon.dbclient.DbRow;

import marketbackend.db.Listing;
import marketbackend.db.Rows;
import marketbackend.db.Tx;
import marketbackend.market.Market;
import marketbackend.order.OrderRepository;

/**
 * Revenue of one market and calendar day, and the home of {@code revenue_snapshots}. The day is the
 * market's own ({@code markets.timezone}); its orders are summed by {@link OrderRepository#takings}
 * (cancelled orders count in no revenue). Every statement runs in a transaction of ONE market:
 * the orders and revenue_snapshots policies add the market filter.
 */
public final class RevenueSnapshotRepository {
    private static final String SNAPSHOT_COLUMNS = """
            s.id, s.market, s.date, s.currency, s.total_revenue, s.total_orders, s.average_order_value,
            s.computed_at""";

    private RevenueSnapshotRepository() {
    }

    /** A day's figures; money with two decimals. */
    public record Figures(String market, LocalDate date, String currency, BigDecimal totalRevenue, long totalOrders,
                          BigDecimal averageOrderValue) {
    }

    /** A stored snapshot: figures plus when they were computed. */
    public record Snapshot(long id, Figures figures, OffsetDateTime computedAt) {
    }

    /** Computes the figures of {@code date} in {@code market} from its orders, now. */
    public static Figures compute(Tx tx, Market market, LocalDate date) {
        OffsetDateTime from = date.atStartOfDay(market.zone()).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
        OffsetDateTime to = date.plusDays(1).atStartOfDay(market.zone()).toOffsetDateTime()
                .withOffsetSameInstant(ZoneOffset.UTC);
        OrderRepository.Takings takings = OrderRepository.takings(tx, from, to);
        long orders = takings.orders();
        BigDecimal revenue = takings.revenue().setScale(2, RoundingMode.HALF_UP);
        BigDecimal average = orders == 0 ? BigDecimal.ZERO.setScale(2)
                : revenue.divide(BigDecimal.valueOf(orders), 2, RoundingMode.HALF_UP);
        return new Figures(market.code(), date, market.currency(), revenue, orders, average);
    }

    /** Stores {@code f} as the snapshot of its market and day, replacing an older one. */
    public static Snapshot upsert(Tx tx, Figures f) {
        return tx.get("""
                INSERT INTO revenue_snapshots AS s
                       (market, date, currency, total_revenue, total_orders, average_order_value, computed_at)
                VALUES (?, ?, ?, ?, ?, ?, now())
                ON CONFLICT (market, date) DO UPDATE
                   SET currency = excluded.currency, total_revenue = excluded.total_revenue,
                       total_orders = excluded.total_orders, average_order_value = excluded.average_order_value,
                       computed_at = excluded.computed_at""" + " RETURNING " + SNAPSHOT_COLUMNS,
                f.market(), f.date(), f.currency(), f.totalRevenue(), (int) f.totalOrders(), f.averageOrderValue())
                .map(RevenueSnapshotRepository::snapshot).orElseThrow();
    }

    /** Was the snapshot of {@code date} stored less than {@code interval} ago (by any instance)? */
    static boolean storedWithin(Tx tx, LocalDate date, Duration interval) {
        return tx.get("SELECT 1 AS fresh FROM revenue_snapshots WHERE date = ?"
                + " AND computed_at > now() - make_interval(secs => ?)", date, (double) interval.toSeconds()).isPresent();
    }

    /** The stored snapshots of {@code from} to {@code to}, newest first. */
    public static Listing<Snapshot> snapshots(LocalDate from, LocalDate to) {
        return Listing.of(SNAPSHOT_COLUMNS, "revenue_snapshots s", RevenueSnapshotRepository::snapshot)
                .where("s.date BETWEEN ? AND ?", from, to).orderBy("s.date DESC");
    }

    private static Snapshot snapshot(DbRow r) {
        return new Snapshot(Rows.number(r, "id"),
                new Figures(Rows.text(r, "market"), Rows.date(r, "date"), Rows.text(r, "currency"),
                        Rows.decimal(r, "total_revenue"), Rows.number(r, "total_orders"),
                        Rows.decimal(r, "average_order_value")),
                Rows.time(r, "computed_at"));
    }
}
