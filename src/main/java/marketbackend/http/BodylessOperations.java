package marketbackend.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * The operations that take no request body, read from the served OpenAPI document, so that the server
 * refuses a body exactly where the document lists none (one place says which operations take a body).
 */
final class BodylessOperations {
    private static final BodylessOperations SHIPPED = load();

    private record Operation(String method, Pattern path) {
    }

    private final List<Operation> operations;

    private BodylessOperations(List<Operation> operations) {
        this.operations = operations;
    }

    static boolean takesNoBody(String method, String path) {
        String m = method.toLowerCase(Locale.ROOT);
        return SHIPPED.operations.stream().anyMatch(o -> o.method().equals(m) && o.path().matcher(path).matches());
    }

    @SuppressWarnings("unchecked")
    private static BodylessOperations load() {
        Map<String, Object> doc;
        try (InputStream in = BodylessOperations.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            doc = new Yaml().load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Operation> out = new ArrayList<>();
        ((Map<String, Object>) doc.get("paths")).forEach((template, item) -> ((Map<String, Object>) item).forEach((method, op) -> {
            if (List.of("post", "put", "patch", "delete").contains(method) && op instanceof Map<?, ?> o
                    && !o.containsKey("requestBody")) {
                // a template's {id} is one path segment
                String regex = Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
                out.add(new Operation(method, Pattern.compile(regex)));
            }
        }));
        return new BodylessOperations(List.copyOf(out));
    }
}
