package marketbackend.customer;

import java.util.regex.Pattern;

import marketbackend.http.Fields;

/** The request body: a gateway token and what may be shown of the card. */
public record PaymentMethodInput(String token, String brand, String last4, Integer expMonth, Integer expYear) {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:+/=-]{1,200}");
    private static final Pattern BRAND = Pattern.compile("[A-Za-z][A-Za-z0-9 _-]{0,29}");
    private static final Pattern LAST4 = Pattern.compile("[0-9]{4}");

    public PaymentMethodInput {
        token = Fields.required(token, "token", 200);
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("Field 'token' must be the payment gateway's token");
        }
        brand = Fields.required(brand, "brand", 30);
        if (!BRAND.matcher(brand).matches()) {
            throw new IllegalArgumentException("Field 'brand' must be a card brand, e.g. visa");
        }
        if (last4 == null || !LAST4.matcher(last4).matches()) {
            throw new IllegalArgumentException("Field 'last4' must be the last 4 digits of the card");
        }
        if (expMonth == null || expMonth < 1 || expMonth > 12) {
            throw new IllegalArgumentException("Field 'exp_month' must be 1 to 12");
        }
        if (expYear == null || expYear < 2000 || expYear > 2100) {
            throw new IllegalArgumentException("Field 'exp_year' must be a four-digit year");
        }
    }
}
