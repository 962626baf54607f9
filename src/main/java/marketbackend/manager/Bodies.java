package marketbackend.manager;

import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.helidon.webserver.http.ServerRequest;

import marketbackend.http.ApiException;
import marketbackend.http.Json;
import marketbackend.value.JsonCodec;

/**
 * Request bodies of PATCH endpoints: the strict {@link Json} reading, plus which fields the client
 * actually sent, so that {@code "description": null} clears a value and an absent field keeps it.
 */
public final class Bodies {
    private Bodies() {
    }

    /** A partial body: its typed value and the names of the fields present in it. */
    public record Partial<T>(T value, Set<String> fields) {
        public boolean has(String field) {
            return fields.contains(field);
        }
    }

    public static <T> Partial<T> partial(ServerRequest req, Class<T> type) {
        JsonNode tree = Json.read(req, JsonNode.class);
        if (!tree.isObject()) {
            throw ApiException.badRequest("The request body must be a JSON object");
        }
        if (tree.isEmpty()) {
            throw ApiException.unprocessable("Send at least one field to change");
        }
        Set<String> fields = new LinkedHashSet<>();
        tree.fieldNames().forEachRemaining(fields::add);
        try {
            return new Partial<>(JsonCodec.MAPPER.treeToValue(tree, type), Set.copyOf(fields));
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.unprocessable("Unknown field '" + e.getPropertyName() + "'");
        } catch (MismatchedInputException e) {
            throw ApiException.unprocessable("Field '" + field(e) + "' has the wrong type or format");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Malformed JSON");
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable(e.getMessage());
        }
    }

    private static String field(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
            }
        }
        return sb.toString();
    }
}
