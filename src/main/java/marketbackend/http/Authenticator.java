package marketbackend.http;

import marketbackend.context.Principal;

/** Turns an {@code Authorization} header value into a principal, or throws a 401 {@link ApiException}. */
@FunctionalInterface
public interface Authenticator {
    Principal authenticate(String authorizationHeader);
}
