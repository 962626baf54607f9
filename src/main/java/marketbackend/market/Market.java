package marketbackend.market;

/**
 * One row of the {@code markets} reference table.
 *
 * @param open {@code markets.is_active}: guests, sign-ups and shopping only in an open market
 */
public record Market(
        String code,
        String name,
        String currency,
        String timezone,
        String phoneRegion,
        String callingCode,
        String locale,
        String smsProvider,
        String paymentGateway,
        String deliveryService,
        boolean open) {

    public java.time.ZoneId zone() {
        return java.time.ZoneId.of(timezone);
    }
}
