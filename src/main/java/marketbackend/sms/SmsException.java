package marketbackend.sms;

import marketbackend.http.ApiException;

/** The message could not be handed to the provider; the client may retry. Carries no cause: causes may hold the text. */
public final class SmsException extends ApiException {
    public SmsException(String market) {
        super(503, "Service Unavailable", "The SMS could not be sent for market " + market + "; retry shortly");
    }
}
