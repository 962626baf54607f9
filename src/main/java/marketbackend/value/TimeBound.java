package marketbackend.value;

import java.time.OffsetDateTime;

/**
 * One end of a time range a client asked for, parsed by the web layer and handed to a table home.
 *
 * @param exclusive true when the bound itself is not included (an upper bound given as a date)
 */
public record TimeBound(OffsetDateTime at, boolean exclusive) {
}
