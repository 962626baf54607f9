package marketbackend.value;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money leaves the server as a string with two decimals ("1250.00") next to its currency. */
public final class Money {
    private Money() {
    }

    public static String format(BigDecimal amount) {
        return amount == null ? null : amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
