package marketbackend.http;

import marketbackend.context.Principal;

/** Turns an {@code Authorization} header value into a principal, or throws a 401 {@link ApiException}. */
@FunctionalInterface
public interface Authenticator {
    Principal authenticate(String authorizationHeader);

    /** Until tokens are issued, every bearer token is refused. */
    Authenticator NONE = header -> {
        throw ApiException.unauthorized("Invalid or expired token");
    };
}
