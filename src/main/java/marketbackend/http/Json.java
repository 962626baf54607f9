package marketbackend.http;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import marketbackend.value.JsonCodec;

/**
 * JSON in and out of a request, with {@link JsonCodec}'s rules; what a request body gets wrong is
 * answered as a 4xx that names the field.
 */
public final class Json {
    private Json() {
    }

    public static void send(ServerResponse res, Object body) {
        send(res, 200, body);
    }

    public static void send(ServerResponse res, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JsonCodec.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write response JSON", e);
        }
        res.status(Status.create(status));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(bytes);
    }

    /** Reads the request body as {@code type}; any malformed or unexpected input is a 4xx. */
    public static <T> T read(ServerRequest req, Class<T> type) {
        return parse(body(req), type);
    }

    /** The raw JSON body, after the same checks as {@link #read} (present, application/json). */
    public static byte[] body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            throw ApiException.badRequest("A JSON request body is required");
        }
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        if (!contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "Unsupported Media Type", "Send the body as application/json");
        }
        try {
            return req.content().as(byte[].class);
        } catch (io.helidon.http.HttpException | io.helidon.http.RequestException e) {
            throw e;
        } catch (RuntimeException e) {
            // broken framing (a bad chunk size, a body that ends early): the client's fault, not ours
            throw ApiException.badRequest("The request body could not be read");
        }
    }

    /** Strictly reads {@code bytes} as {@code type}; any malformed or unexpected input is a 4xx. */
    public static <T> T parse(byte[] bytes, Class<T> type) {
        try {
            T value = JsonCodec.MAPPER.readValue(bytes, type);
            if (value == null) {
                throw ApiException.badRequest("The request body must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.unprocessable("Unknown field '" + e.getPropertyName() + "'");
        } catch (InvalidFormatException e) {
            throw ApiException.unprocessable("Field '" + path(e) + "' has the wrong type or format");
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw field.isEmpty()
                    ? ApiException.badRequest("The request body does not have the expected shape")
                    : ApiException.unprocessable("Field '" + field + "' has the wrong type");
        } catch (ValueInstantiationException e) {
            // a record constructor refused a field value: Jackson wraps its exception
            throw ApiException.unprocessable(e.getCause() instanceof IllegalArgumentException iae
                    ? iae.getMessage() : "The request body has an invalid value");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Malformed JSON");
        } catch (IOException e) {
            throw ApiException.badRequest("Unreadable request body");
        } catch (IllegalArgumentException e) {
            // thrown by record constructors that validate their fields
            throw ApiException.unprocessable(e.getMessage());
        }
    }

    private static String path(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.toString();
    }
}
