package marketbackend.support;

import java.util.Optional;

/** A test that needs a program fails when it is missing, naming what to install: it never passes empty. */
public final class Tools {
    private Tools() {
    }

    /** The tool found, or a failure that says what to install ({@code bash .ci/run} installs each of them). */
    public static <T> T required(Optional<T> found, String missing) {
        return found.orElseThrow(() -> new IllegalStateException(missing + " (bash .ci/run installs it)"));
    }

    public static void required(boolean present, String missing) {
        required(Optional.of(present).filter(p -> p), missing);
    }
}
