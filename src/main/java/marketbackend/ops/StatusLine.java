package marketbackend.ops;

import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * What the server tells its operator on stdout (its schema version, where it serves): a plain line, or under
 * {@code LOG_FORMAT=json} a log object like every other line, so a collector reads all of stdout as JSON.
 */
public final class StatusLine {
    private static volatile JsonLogFormatter json;

    private StatusLine() {
    }

    /** From now on status lines are JSON, formatted like the log records. */
    static void json(JsonLogFormatter formatter) {
        json = formatter;
    }

    public static void print(String text) {
        JsonLogFormatter f = json;
        if (f == null) {
            System.out.println(text);
            return;
        }
        LogRecord r = new LogRecord(Level.INFO, text);
        r.setLoggerName("marketbackend");
        System.out.print(f.format(r));
    }
}
