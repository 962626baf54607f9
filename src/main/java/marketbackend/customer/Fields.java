package marketbackend.customer;

/**
 * Checks for the text fields of request bodies, used in the body records' constructors: an
 * {@link IllegalArgumentException} there becomes a 422 naming the field (see {@code Json.parse}).
 */
public final class Fields {
    private Fields() {
    }

    /** Trimmed, 1 to {@code max} characters, no control characters. */
    public static String required(String value, String field, int max) {
        if (value == null) {
            throw new IllegalArgumentException("Field '" + field + "' is required");
        }
        String v = value.strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("Field '" + field + "' must not be empty");
        }
        return checked(v, field, max);
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
        if (v.codePointCount(0, v.length()) > max) {
            throw new IllegalArgumentException("Field '" + field + "' is longer than " + max + " characters");
        }
        if (v.chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
            throw new IllegalArgumentException("Field '" + field + "' contains control characters");
        }
        return v;
    }
}
