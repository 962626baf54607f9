package marketbackend.customer;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Finds card numbers (PANs) in a request body: 13 to 19 digits, optionally grouped by single
 * spaces or dashes, passing the Luhn check, anywhere in any string or number, also in field
 * names. The server must never receive one: cards reach it only as gateway tokens.
 */
final class CardNumbers {
    /** A run of 13-19 digits, separators allowed between digits, not part of a longer digit run. */
    private static final Pattern CANDIDATE = Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])");

    private CardNumbers() {
    }

    static boolean containsCardNumber(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isTextual()) {
            return containsCardNumber(node.textValue());
        }
        if (node.isNumber()) {
            return containsCardNumber(node.isIntegralNumber()
                    ? node.bigIntegerValue().toString() : node.decimalValue().toPlainString());
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (containsCardNumber(e.getKey()) || containsCardNumber(e.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode child : node) {
                if (containsCardNumber(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean containsCardNumber(String text) {
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
            if (luhn(m.group().replaceAll("[ -]", ""))) {
                return true;
            }
        }
        return false;
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
