package marketbackend.sms;

import marketbackend.db.Tx;
import marketbackend.market.Market;

/**
 * Delivers a text message through the provider of a market ({@code markets.sms_provider}).
 * Called inside the login transaction: if delivery fails, the code it carries is rolled back.
 * Implementations never log the text: it holds a login code.
 */
public interface SmsSender {

    void send(Tx tx, Market market, String e164Phone, String text);

    /** {@code SMS_MODE}: {@code outbox} (table sms_outbox) or {@code http} (the market's HTTP endpoint). */
    static SmsSender create(String mode, marketbackend.auth.AuthSettings settings) {
        return switch (mode == null ? "" : mode) {
            case "outbox" -> new OutboxSmsSender();
            case "http" -> new HttpSmsSender(settings.smsHttpUrls(), settings.smsHttpTokens(), settings.smsHttpTimeout());
            default -> throw new IllegalStateException("SMS_MODE must be 'outbox' or 'http', got: " + mode);
        };
    }
}
