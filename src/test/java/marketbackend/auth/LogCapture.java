package marketbackend.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every log record while open, as text, for secrets-in-logs tests: the project's loggers at every
 * level, the libraries' at their configured levels (with the root logger at ALL, a login statement failed).
 */
final class LogCapture implements AutoCloseable {
    private static final String ACCESS_LOGGER = "marketbackend.access";
    private static final List<String> LOGGERS = List.of("marketbackend", ACCESS_LOGGER);

    private final List<String> lines = new ArrayList<>();
    private final List<Level> before = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String text = r.getLoggerName() + " " + r.getMessage()
                    + (r.getParameters() == null ? "" : List.of(r.getParameters()))
                    + (r.getThrown() == null ? "" : r.getThrown().toString());
            synchronized (lines) {
                lines.add(text);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    LogCapture() {
        handler.setLevel(Level.ALL);
        for (String name : LOGGERS) {
            Logger logger = Logger.getLogger(name);
            before.add(logger.getLevel());
            logger.setLevel(Level.ALL);
        }
        Logger.getLogger("").addHandler(handler);
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * Every line so far, once at least {@code n} access-log lines are among them (or after 30 s):
     * the access log is written by a background thread, after the answer was sent.
     */
    List<String> linesWithAccessLines(int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until
                && lines().stream().filter(l -> l.startsWith(ACCESS_LOGGER + " ")).count() < n) {
            Thread.sleep(20);
        }
        return lines();
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
        for (int i = 0; i < LOGGERS.size(); i++) {
            Logger.getLogger(LOGGERS.get(i)).setLevel(before.get(i));
        }
    }
}
