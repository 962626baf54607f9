package marketbackend.manager;

import java.math.BigDecimal;
import java.net.URI;
import java.util.regex.Pattern;

import marketbackend.http.ApiException;
import marketbackend.http.Fields;

/** Field checks of manager request bodies; each failure is a 422 naming the field. */
public final class Validate {
    /** Money arrives as a decimal string like the API sends it: "1250.00", "19.9", "7". */
    private static final Pattern MONEY = Pattern.compile("(0|[1-9][0-9]{0,9})(\\.[0-9]{1,2})?");

    private Validate() {
    }

    /** A one-line text: see {@link Fields} for the rule. */
    public static String text(String field, String value, int max) {
        return checked(field, value, max, false);
    }

    /** An optional text: null stays null. */
    public static String optionalText(String field, String value, int max) {
        return value == null ? null : text(field, value, max);
    }

    /** An optional text that may span lines (line feeds and tabs): null stays null. */
    public static String optionalMultiLine(String field, String value, int max) {
        return value == null ? null : checked(field, value, max, true);
    }

    /** A text that may span lines (line feeds and tabs), such as a message body. */
    public static String multiLine(String field, String value, int max) {
        return checked(field, value, max, true);
    }

    public static BigDecimal money(String field, String value) {
        if (value == null) {
            throw ApiException.unprocessable("Field '" + field + "' is required");
        }
        if (!MONEY.matcher(value).matches()) {
            throw ApiException.unprocessable("Field '" + field
                    + "' must be a decimal string with at most 2 decimals, e.g. \"1250.00\"");
        }
        return new BigDecimal(value);
    }

    public static int range(String field, Integer value, int min, int max) {
        if (value == null) {
            throw ApiException.unprocessable("Field '" + field + "' is required");
        }
        if (value < min || value > max) {
            throw ApiException.unprocessable("Field '" + field + "' must be between " + min + " and " + max);
        }
        return value;
    }

    /** A list position: 0 when absent on create, any integer within a million either way. */
    public static int position(Integer value) {
        return range("position", value, -1_000_000, 1_000_000);
    }

    public static boolean bool(String field, Boolean value) {
        if (value == null) {
            throw ApiException.unprocessable("Field '" + field + "' must be true or false");
        }
        return value;
    }

    public static Long id(String field, Long value) {
        if (value != null && value <= 0) {
            throw ApiException.unprocessable("Field '" + field + "' must be a positive id");
        }
        return value;
    }

    /** An absolute http(s) URL, or for links also a site path such as "/categories". */
    public static String url(String field, String value, boolean pathAllowed) {
        String v = optionalText(field, value, 1000);
        if (v == null) {
            return null;
        }
        if (pathAllowed && v.startsWith("/") && !v.startsWith("//") && v.chars().noneMatch(Character::isWhitespace)) {
            return v;
        }
        try {
            URI uri = new URI(v);
            if (uri.isAbsolute() && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null) {
                return v;
            }
        } catch (java.net.URISyntaxException e) {
            // answered below
        }
        throw ApiException.unprocessable("Field '" + field + "' must be an http(s) URL"
                + (pathAllowed ? " or a path starting with /" : ""));
    }

    private static String checked(String field, String value, int max, boolean multiLine) {
        if (value == null) {
            throw ApiException.unprocessable("Field '" + field + "' is required");
        }
        String v = value.strip();
        Fields.Fault fault = Fields.fault(v, max, multiLine);
        if (fault == Fields.Fault.CONTROL) {
            throw ApiException.unprocessable("Field '" + field + "' contains control characters");
        }
        if (fault != null) {
            throw ApiException.unprocessable("Field '" + field + "' must have 1 to " + max + " characters");
        }
        return v;
    }
}
