package marketbackend.market;

import java.util.List;
import java.util.Optional;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one definition of a phone's market, where calling codes are shared: +1 and +7. */
class PhoneMarketsTest {
    private static final List<Market> MARKETS = List.of(market("US", "1", true), market("CA", "1", false),
            market("KZ", "7", true), market("KG", "996", true));

    @ParameterizedTest
    @CsvSource({
            "+1 416 555 0123, CA",   // Toronto: Canada, also while its market is closed
            "+1 650 253 0000, US",   // California
            "+1 242 357 1234, -",    // the Bahamas: no market has BS
            "+7 701 123 4567, KZ",   // Kazakh mobile
            "+7 916 123 4567, -",    // Russian mobile: no market has RU
            "+996 700 123 456, KG",
            "+1 202 555 01, -"})     // too short: valid nowhere
    void theRegionOfTheNumberNamesTheMarket(String phone, String market) throws NumberParseException {
        Optional<Market> found = PhoneMarkets.of(PhoneNumberUtil.getInstance().parse(phone, null), MARKETS);
        assertEquals(market, found.map(Market::code).orElse("-"));
    }

    private static Market market(String code, String callingCode, boolean open) {
        return new Market(code, code, "USD", "UTC", code, callingCode, "en", "sms", "pay", "post", open);
    }
}
