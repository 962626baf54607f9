package marketbackend.customer;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.helidon.dbclient.DbRow;

import marketbackend.http.Money;

/** Typed reads of a result row, tolerant of the driver's numeric widths (smallint, int, bigint). */
public final class Rows {
    private Rows() {
    }

    public static long id(DbRow r, String column) {
        return r.column(column).get(Number.class).longValue();
    }

    public static Long optionalId(DbRow r, String column) {
        Number n = r.column(column).get(Number.class);
        return n == null ? null : n.longValue();
    }

    public static int integer(DbRow r, String column) {
        return r.column(column).get(Number.class).intValue();
    }

    public static String text(DbRow r, String column) {
        return r.column(column).get(String.class);
    }

    public static boolean bool(DbRow r, String column) {
        return Boolean.TRUE.equals(r.column(column).get(Boolean.class));
    }

    /** A timestamptz in UTC; the driver hands out java.sql.Timestamp, which Helidon does not map. */
    public static OffsetDateTime time(DbRow r, String column) {
        Object v = r.column(column).get(Object.class);
        return switch (v) {
            case null -> null;
            case OffsetDateTime t -> t.withOffsetSameInstant(ZoneOffset.UTC);
            case java.sql.Timestamp t -> t.toInstant().atOffset(ZoneOffset.UTC);
            default -> throw new IllegalStateException(column + " is not a timestamp: " + v.getClass().getName());
        };
    }

    public static BigDecimal decimal(DbRow r, String column) {
        return r.column(column).get(BigDecimal.class);
    }

    /** Money as it leaves the server: "1250.00", or null. */
    public static String money(DbRow r, String column) {
        return Money.format(decimal(r, column));
    }
}
