package marketbackend.sms;

import java.util.Locale;

import marketbackend.market.Market;

/** The login SMS in the market's language ({@code markets.locale}); English where no text exists yet. */
public final class SmsTexts {
    private SmsTexts() {
    }

    public static String loginCode(Market market, String code, int minutes) {
        String language = Locale.forLanguageTag(market.locale()).getLanguage();
        return switch (language) {
            case "ru" -> "Код для входа: " + code + ". Действует " + minutes + " мин. Никому его не сообщайте.";
            default -> "Your login code: " + code + ". Valid for " + minutes + " min. Do not share it.";
        };
    }
}
