package marketbackend.customer;

import marketbackend.http.Fields;

/** The request body: {@code {line1, line2?, city, region, postal_code}}. */
public record AddressInput(String line1, String line2, String city, String region, String postalCode) {
    public AddressInput {
        line1 = Fields.required(line1, "line1", 200);
        line2 = Fields.optional(line2, "line2", 200);
        city = Fields.required(city, "city", 100);
        region = Fields.required(region, "region", 100);
        postalCode = Fields.required(postalCode, "postal_code", 20);
    }
}
