package marketbackend.customer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import marketbackend.http.ApiException;

/**
 * What a valid postal address is in each market. A market without rules here accepts any
 * non-empty region and postal code (the schema's length limits still apply).
 */
final class AddressRules {
    private static final Pattern US_ZIP = Pattern.compile("\\d{5}(-\\d{4})?");
    private static final Pattern KG_POSTAL = Pattern.compile("\\d{6}");

    /** USPS codes: the states, DC, the territories and the military "states". */
    private static final Set<String> US_STATES = Set.of(
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
            "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
            "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
            "DC", "AS", "GU", "MP", "PR", "VI", "AA", "AE", "AP");

    /**
     * The regions of Kyrgyzstan: seven oblasts and the cities of Bishkek and Osh, by their stored
     * (English) name, each with the spellings accepted for it (ISO 3166-2 code, Russian name).
     */
    static final Map<String, List<String>> KG_REGIONS = kgRegions();

    private static final Map<String, String> KG_LOOKUP = lookup(KG_REGIONS);

    private AddressRules() {
    }

    /** The address in its stored form (trimmed, region canonical), or a 422 that names the field. */
    static AddressInput normalize(String market, AddressInput in) {
        return switch (market) {
            case "US" -> new AddressInput(in.line1(), in.line2(), in.city(),
                    usState(in.region()), usZip(in.postalCode()));
            case "KG" -> new AddressInput(in.line1(), in.line2(), in.city(),
                    kgRegion(in.region()), kgPostal(in.postalCode()));
            default -> in;
        };
    }

    private static String usState(String region) {
        String code = region.toUpperCase(Locale.ROOT);
        if (!US_STATES.contains(code)) {
            throw invalid("region", "must be a two-letter US state code, e.g. CA or NY");
        }
        return code;
    }

    private static String usZip(String postal) {
        if (!US_ZIP.matcher(postal).matches()) {
            throw invalid("postal_code", "must be a US ZIP code: 12345 or 12345-6789");
        }
        return postal;
    }

    private static String kgPostal(String postal) {
        if (!KG_POSTAL.matcher(postal).matches()) {
            throw invalid("postal_code", "must be a Kyrgyz postal code of 6 digits, e.g. 720001");
        }
        return postal;
    }

    private static String kgRegion(String region) {
        String key = key(region);
        if (key.equals("osh") || key.equals("ош")) {
            throw invalid("region", "is ambiguous: use 'Osh city' or 'Osh Region'");
        }
        String canonical = KG_LOOKUP.get(key);
        if (canonical == null) {
            throw invalid("region", "must be one of: " + String.join(", ", KG_REGIONS.keySet()));
        }
        return canonical;
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(422, "Unprocessable Content", "Field '" + field + "' " + message,
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    private static Map<String, List<String>> kgRegions() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("Bishkek", List.of("KG-GB", "Bishkek city", "г. Бишкек", "город Бишкек", "Бишкек"));
        m.put("Osh city", List.of("KG-GO", "г. Ош", "город Ош"));
        m.put("Batken Region", List.of("KG-B", "Batken", "Batken oblast", "Баткенская область"));
        m.put("Chuy Region", List.of("KG-C", "Chuy", "Chui", "Chüy", "Chuy oblast", "Чуйская область"));
        m.put("Issyk-Kul Region", List.of("KG-Y", "Issyk-Kul", "Issyk Kul", "Ysyk-Kol", "Issyk-Kul oblast",
                "Иссык-Кульская область"));
        m.put("Jalal-Abad Region", List.of("KG-J", "Jalal-Abad", "Jalalabad", "Jalal-Abad oblast",
                "Джалал-Абадская область"));
        m.put("Naryn Region", List.of("KG-N", "Naryn", "Naryn oblast", "Нарынская область"));
        m.put("Osh Region", List.of("KG-O", "Osh oblast", "Ошская область"));
        m.put("Talas Region", List.of("KG-T", "Talas", "Talas oblast", "Таласская область"));
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, String> lookup(Map<String, List<String>> regions) {
        Map<String, String> m = new java.util.HashMap<>();
        regions.forEach((canonical, aliases) -> {
            m.put(key(canonical), canonical);
            aliases.forEach(a -> m.put(key(a), canonical));
        });
        return Map.copyOf(m);
    }

    /** Case, spacing and the dot in "г." do not matter. */
    private static String key(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }
}
