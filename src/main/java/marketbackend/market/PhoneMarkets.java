package marketbackend.market;

import java.util.Collection;
import java.util.Optional;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * The one definition of a phone's market, for login and {@code grant-manager} alike: the
 * libphonenumber region of the number (+1 416 is CA, +1 650 US, +1 242 BS; +7 701 KZ, +7 916 RU)
 * names the market whose {@code phone_region} it is. The database cannot tell these apart by the
 * calling code; it checks the code and trusts the context (db-policies/R__05_markets.sql).
 */
public final class PhoneMarkets {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneMarkets() {
    }

    /** The region the number is valid in, or null when it is valid nowhere. */
    public static String region(PhoneNumber number) {
        if (!UTIL.isValidNumber(number)) {
            return null;
        }
        String region = UTIL.getRegionCodeForNumber(number);
        return region == null || "ZZ".equals(region) ? null : region;
    }

    /** The market (open or closed) among {@code markets} whose phone region is the number's. */
    public static Optional<Market> of(PhoneNumber number, Collection<Market> markets) {
        String region = region(number);
        return region == null ? Optional.empty()
                : markets.stream().filter(m -> m.phoneRegion().equals(region)).findFirst();
    }
}
