package marketbackend.manager;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order statuses and the moves a manager may make:
 * pending → confirmed → shipped → delivered, and pending | confirmed → cancelled.
 * Delivered and cancelled are final.
 */
final class OrderLifecycle {
    static final List<String> STATUSES = List.of("pending", "confirmed", "shipped", "delivered", "cancelled");

    private static final Map<String, Set<String>> NEXT = Map.of(
            "pending", Set.of("confirmed", "cancelled"),
            "confirmed", Set.of("shipped", "cancelled"),
            "shipped", Set.of("delivered"),
            "delivered", Set.of(),
            "cancelled", Set.of());

    private OrderLifecycle() {
    }

    static boolean isStatus(String s) {
        return NEXT.containsKey(s);
    }

    static boolean allowed(String from, String to) {
        return NEXT.getOrDefault(from, Set.of()).contains(to);
    }

    /** The statuses reachable from {@code from}, in lifecycle order (for error messages). */
    static List<String> next(String from) {
        return STATUSES.stream().filter(s -> allowed(from, s)).toList();
    }
}
