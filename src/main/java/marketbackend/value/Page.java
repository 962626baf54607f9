package marketbackend.value;

import java.util.List;

/** The shape of every list answer: {@code {"items": [...], "page", "size", "total"}}. */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static <T> Page<T> of(List<T> items, int page, int size, long total) {
        return new Page<>(items, page, size, total);
    }
}
