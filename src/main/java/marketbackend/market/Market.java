package marketbackend.market;

/** One row of the {@code markets} reference table. */
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
        String deliveryService) {

    public java.time.ZoneId zone() {
        return java.time.ZoneId.of(timezone);
    }
}
