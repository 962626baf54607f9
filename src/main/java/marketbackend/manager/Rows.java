package marketbackend.manager;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.dbclient.DbRow;

import marketbackend.http.Json;

/** Column reads that do not depend on which Java type the JDBC driver picked for a value. */
public final class Rows {
    private Rows() {
    }

    /** The JDBC value of a column, null for SQL NULL. */
    public static Object raw(DbRow r, String column) {
        return r.column(column).get(Object.class);
    }

    public static String text(DbRow r, String column) {
        Object v = raw(r, column);
        return v == null ? null : v.toString();
    }

    public static Long number(DbRow r, String column) {
        Object v = raw(r, column);
        return v == null ? null : ((Number) v).longValue();
    }

    public static Integer integer(DbRow r, String column) {
        Object v = raw(r, column);
        return v == null ? null : ((Number) v).intValue();
    }

    public static BigDecimal decimal(DbRow r, String column) {
        Object v = raw(r, column);
        return v == null ? null : v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
    }

    public static Boolean bool(DbRow r, String column) {
        return (Boolean) raw(r, column);
    }

    /** A timestamptz as an instant in UTC. */
    public static OffsetDateTime time(DbRow r, String column) {
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
            case null -> null;
            case LocalDate d -> d;
            case java.sql.Date d -> d.toLocalDate();
            default -> LocalDate.parse(v.toString());
        };
    }

    /** A json/jsonb column (or its text) as a JSON tree. */
    public static JsonNode json(DbRow r, String column) {
        String s = text(r, column);
        if (s == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException("Column " + column + " does not hold JSON", e);
        }
    }
}
