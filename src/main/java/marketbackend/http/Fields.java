package marketbackend.http;

/**
 * The one rule for text fields of request bodies: stripped, counted in code points (an emoji is one
 * character), and free of control characters (C0, DEL, C1, U+2028/U+2029); a multi-line field
 * (a product description, a message body) may also hold line feeds and tabs.
 *
 * <p>The checks below are for the body records' constructors: an {@link IllegalArgumentException}
 * there becomes a 422 naming the field (see {@code Json.parse}). The manager API answers through
 * {@code Validate}, with the same rule.
 */
public final class Fields {
    /** What is wrong with a text. */
    public enum Fault { EMPTY, TOO_LONG, CONTROL }

    private Fields() {
    }

    /** The fault of the stripped text {@code v}, or null when it passes. */
    public static Fault fault(String v, int max, boolean multiLine) {
        if (v.isEmpty()) {
            return Fault.EMPTY;
        }
        if (v.codePointCount(0, v.length()) > max) {
            return Fault.TOO_LONG;
        }
        if (v.chars().anyMatch(c -> (Character.isISOControl(c) || c == '\u2028' || c == '\u2029')
                && !(multiLine && (c == '\n' || c == '\t')))) {
            return Fault.CONTROL;
        }
        return null;
    }

    /** Trimmed, 1 to {@code max} characters, no control characters. */
    public static String required(String value, String field, int max) {
        if (value == null) {
            throw new IllegalArgumentException("Field '" + field + "' is required");
        }
        return checked(value.strip(), field, max);
    }

    /** Like {@link #required}, but null or blank mean "not given" (null). */
    public static String optional(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return checked(value.strip(), field, max);
    }

    public static long requiredId(Long value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("Field '" + field + "' is required");
        }
        if (value < 1) {
            throw new IllegalArgumentException("Field '" + field + "' must be a positive id");
        }
        return value;
    }

    private static String checked(String v, String field, int max) {
        Fault fault = fault(v, max, false);
        if (fault == null) {
            return v;
        }
        throw new IllegalArgumentException("Field '" + field + "' " + switch (fault) {
            case EMPTY -> "must not be empty";
            case TOO_LONG -> "is longer than " + max + " characters";
            case CONTROL -> "contains control characters";
        });
    }
}
