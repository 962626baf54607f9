package marketbackend.db;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.dbclient.DbRow;

/**
 * The one way a result row is read, whatever Java type the driver picked for a value (smallint,
 * int or bigint; Timestamp or OffsetDateTime). One rule for NULL: {@code x(row, column)} throws an
 * {@link IllegalStateException} naming the column, {@code optionalX(row, column)} answers null.
 */
public final class Rows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Rows() {
    }

    public static String text(DbRow r, String column) {
        return required(optionalText(r, column), column);
    }

    public static String optionalText(DbRow r, String column) {
        Object v = raw(r, column);
        return v == null ? null : v.toString();
    }

    public static long number(DbRow r, String column) {
        return required(optionalNumber(r, column), column);
    }

    public static Long optionalNumber(DbRow r, String column) {
        Object v = raw(r, column);
        return v == null ? null : ((Number) v).longValue();
    }

    public static int integer(DbRow r, String column) {
        return required(optionalInteger(r, column), column);
    }

    public static Integer optionalInteger(DbRow r, String column) {
        Object v = raw(r, column);
        return v == null ? null : ((Number) v).intValue();
    }

    public static BigDecimal decimal(DbRow r, String column) {
        return required(optionalDecimal(r, column), column);
    }

    public static BigDecimal optionalDecimal(DbRow r, String column) {
        Object v = raw(r, column);
        return v == null ? null : v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
    }

    public static boolean bool(DbRow r, String column) {
        return required(optionalBool(r, column), column);
    }

    public static Boolean optionalBool(DbRow r, String column) {
        return (Boolean) raw(r, column);
    }

    /** A timestamptz as an instant in UTC. */
    public static OffsetDateTime time(DbRow r, String column) {
        return required(optionalTime(r, column), column);
    }

    public static OffsetDateTime optionalTime(DbRow r, String column) {
        Object v = raw(r, column);
        return switch (v) {
            case null -> null;
            case OffsetDateTime t -> t.withOffsetSameInstant(ZoneOffset.UTC);
            case Timestamp t -> t.toInstant().atOffset(ZoneOffset.UTC);
            case Instant t -> t.atOffset(ZoneOffset.UTC);
            default -> OffsetDateTime.parse(v.toString());
        };
    }

    public static LocalDate date(DbRow r, String column) {
        Object v = raw(r, column);
        return switch (v) {
            case null -> required(null, column);
            case LocalDate d -> d;
            case java.sql.Date d -> d.toLocalDate();
            default -> LocalDate.parse(v.toString());
        };
    }

    /** A json/jsonb column (or its text) as a JSON tree; null for SQL NULL. */
    public static JsonNode optionalJson(DbRow r, String column) {
        String s = optionalText(r, column);
        if (s == null) {
            return null;
        }
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException("Column " + column + " does not hold JSON", e);
        }
    }

    private static Object raw(DbRow r, String column) {
        return r.column(column).get(Object.class);
    }

    private static <T> T required(T value, String column) {
        if (value == null) {
            throw new IllegalStateException("Column " + column + " is NULL where a value is required");
        }
        return value;
    }
}
