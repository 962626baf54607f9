package marketbackend.http;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import io.helidon.webserver.http.ServerRequest;

import marketbackend.value.TimeBound;


/**
 * Date and time query parameters. A date ({@code 2026-03-01}) is a calendar day of the market's
 * time zone; an instant carries its offset ({@code 2026-03-01T00:00:00Z}, {@code ...+06:00}).
 * Anything else is a 400.
 */
public final class TimeParams {
    private TimeParams() {
    }

    /** A calendar date parameter, e.g. {@code date=2026-03-01}. */
    public static Optional<LocalDate> date(ServerRequest req, String name) {
        return Query.optionalText(req, name, 10).map(v -> {
            try {
                if (!v.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
                    throw new DateTimeParseException("shape", v, 0);
                }
                return LocalDate.parse(v);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("Query parameter '" + name + "' must be a date like 2026-03-01");
            }
        });
    }

    /**
     * A lower bound: a date means the start of that day in {@code zone}, an instant means itself.
     * An upper bound ({@code upper = true}) given as a date means the start of the NEXT day, so
     * {@code to=2026-03-01} includes all of March 1st; the bound is then exclusive.
     */
    public static Optional<TimeBound> bound(ServerRequest req, String name, ZoneId zone, boolean upper) {
        return Query.optionalText(req, name, 40).map(v -> {
            if (v.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
                try {
                    LocalDate day = LocalDate.parse(v);
                    return new TimeBound(day.plusDays(upper ? 1 : 0).atStartOfDay(zone).toOffsetDateTime()
                            .withOffsetSameInstant(ZoneOffset.UTC), upper);
                } catch (DateTimeParseException e) {
                    throw invalid(name);
                }
            }
            try {
                return new TimeBound(OffsetDateTime.parse(v).withOffsetSameInstant(ZoneOffset.UTC), false);
            } catch (DateTimeParseException e) {
                throw invalid(name);
            }
        });
    }

    private static ApiException invalid(String name) {
        return ApiException.badRequest("Query parameter '" + name
                + "' must be a date (2026-03-01) or an instant with offset (2026-03-01T08:30:00Z)");
    }
}
