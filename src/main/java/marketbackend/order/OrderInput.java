package marketbackend.order;

import marketbackend.http.Fields;

/** The checkout body: {@code {address_id, payment_method_id}}; the items come from the cart. */
public record OrderInput(Long addressId, Long paymentMethodId) {
    public OrderInput {
        Fields.requiredId(addressId, "address_id");
        Fields.requiredId(paymentMethodId, "payment_method_id");
    }

    /** What identifies the request behind an Idempotency-Key. */
    String fingerprint() {
        return Hashes.sha256Hex("order-v1|" + addressId + "|" + paymentMethodId);
    }
}
