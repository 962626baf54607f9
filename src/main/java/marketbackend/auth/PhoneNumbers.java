package marketbackend.auth;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import marketbackend.http.ApiException;
import marketbackend.market.Market;
import marketbackend.market.MarketRegistry;
import marketbackend.market.PhoneMarkets;

/**
 * Which market a phone belongs to. The phone decides, never the request: the number's region names
 * the market ({@link PhoneMarkets}; {@code +1} covers the US, Canada and the Caribbean). A closed
 * market's phones resolve too: its customers still log in (no one new signs up, see VerificationCodeRepository).
 * Codes go by SMS, so only numbers that can be mobile are accepted.
 */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** Landlines, toll-free and premium numbers cannot receive the code. */
    private static final Set<PhoneNumberUtil.PhoneNumberType> SMS_CAPABLE = Set.of(
            PhoneNumberUtil.PhoneNumberType.MOBILE, PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE);
    /** Digits and the usual separators only: no letters (vanity numbers), no extensions. */
    private static final Pattern TEXT = Pattern.compile("\\+[0-9 ().-]{6,30}");

    private final MarketRegistry markets;

    public PhoneNumbers(MarketRegistry markets) {
        this.markets = markets;
    }

    /** A phone number in E.164 form and the market it belongs to. */
    public record MarketPhone(String e164, Market market) {
    }

    /** Parses {@code raw}: 400 when it is not a phone number, 422 when no market serves it. */
    public MarketPhone resolve(String raw) {
        String text = raw == null ? "" : raw.strip();
        if (!TEXT.matcher(text).matches()) {
            throw ApiException.badRequest("'phone' must be a phone number in international format, e.g. +996700123456");
        }
        PhoneNumber number;
        try {
            number = UTIL.parse(text, null);
        } catch (NumberParseException e) {
            throw ApiException.badRequest("'phone' is not a phone number");
        }
        if (number.hasExtension() || !UTIL.isPossibleNumber(number)) {
            throw ApiException.badRequest("'phone' is not a phone number");
        }
        Optional<Market> market = markets.forPhone(number);
        if (market.isPresent()) {
            if (!SMS_CAPABLE.contains(UTIL.getNumberType(number))) {
                throw ApiException.unprocessable("Login codes are sent by SMS: use a mobile number");
            }
            return new MarketPhone(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), market.get());
        }
        String served = markets.all().stream().map(m -> m.phoneRegion() + " (+" + m.callingCode() + ")")
                .collect(Collectors.joining(", "));
        String region = PhoneMarkets.region(number);
        if (region != null) {
            throw ApiException.unprocessable("Phone numbers from region " + region
                    + " are not served; we serve " + served);
        }
        throw ApiException.unprocessable("The phone number is not valid in any market we serve: " + served);
    }
}
