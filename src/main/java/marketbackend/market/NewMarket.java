package marketbackend.market;

import java.time.ZoneId;
import java.util.Currency;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * The arguments of {@code market add CODE --name … --currency … --timezone … --phone-region …
 * --locale … --sms-provider … --payment-gateway … --delivery-service …}, each checked before the
 * database is touched. The calling code follows from the phone region (CA → 1, UZ → 998).
 */
record NewMarket(String code, String name, String currency, String timezone, String phoneRegion, int callingCode,
                 String locale, String smsProvider, String paymentGateway, String deliveryService) {
    static final List<String> OPTIONS = List.of("--name", "--currency", "--timezone", "--phone-region", "--locale",
            "--sms-provider", "--payment-gateway", "--delivery-service");
    private static final Pattern CODE = Pattern.compile("[A-Z]{2}");
    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,39}");

    /** Thrown for a bad argument: printed with the usage, exit status 2. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static NewMarket parse(List<String> args) throws Invalid {
        if (args.isEmpty() || args.getFirst().startsWith("--")) {
            throw new Invalid("CODE is required, e.g. market add CA --name Canada ...");
        }
        String code = args.getFirst();
        if (!CODE.matcher(code).matches()) {
            throw new Invalid("CODE must be two capital letters (it is also the X-Market value), not '" + code + "'");
        }
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 1; i < args.size(); i += 2) {
            String option = args.get(i);
            if (!OPTIONS.contains(option)) {
                throw new Invalid("Unexpected argument '" + option + "'");
            }
            if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
                throw new Invalid(option + " needs a value");
            }
            if (v.put(option, args.get(i + 1).strip()) != null) {
                throw new Invalid(option + " is given twice");
            }
        }
        for (String option : OPTIONS) {
            if (!v.containsKey(option)) {
                throw new Invalid(option + " is required");
            }
        }
        String region = v.get("--phone-region");
        PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
        if (!phones.getSupportedRegions().contains(region)) {
            throw new Invalid("--phone-region must be a region with phone numbers, e.g. CA or UZ, not '" + region + "'");
        }
        return new NewMarket(code, v.get("--name"), currency(v.get("--currency")), timezone(v.get("--timezone")),
                region, phones.getCountryCodeForRegion(region), locale(v.get("--locale")),
                provider("--sms-provider", v.get("--sms-provider")), provider("--payment-gateway", v.get("--payment-gateway")),
                provider("--delivery-service", v.get("--delivery-service")));
    }

    private static String currency(String code) throws Invalid {
        try {
            if (code.matches("[A-Z]{3}")) {
                return Currency.getInstance(code).getCurrencyCode();
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new Invalid("--currency must be an ISO 4217 code such as CAD or UZS, not '" + code + "'");
    }

    private static String timezone(String zone) throws Invalid {
        if (!ZoneId.getAvailableZoneIds().contains(zone)) {
            throw new Invalid("--timezone must be an IANA time zone such as America/Toronto, not '" + zone + "'");
        }
        return zone;
    }

    private static String locale(String tag) throws Invalid {
        try {
            Locale locale = new Locale.Builder().setLanguageTag(tag).build();
            if (!locale.getLanguage().isEmpty()) {
                return locale.toLanguageTag();
            }
        } catch (IllformedLocaleException e) {
            // reported below
        }
        throw new Invalid("--locale must be a language tag such as en-CA or uz-UZ, not '" + tag + "'");
    }

    private static String provider(String option, String name) throws Invalid {
        if (!PROVIDER.matcher(name).matches()) {
            throw new Invalid(option + " must be a lower-case name such as twilio, not '" + name + "'");
        }
        return name;
    }
}
