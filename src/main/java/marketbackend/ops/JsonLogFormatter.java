package marketbackend.ops;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code LOG_FORMAT=json}: one JSON object per line for every log record (time, level, logger,
 * message, the access log's fields, an error's stack trace), for log collectors. JSON escaping keeps
 * every record on one line whatever a client sent.
 */
public final class JsonLogFormatter extends Formatter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Switches every root handler to JSON. */
    public static void install() {
        JsonLogFormatter formatter = new JsonLogFormatter();
        for (Handler h : Logger.getLogger("").getHandlers()) {
            h.setFormatter(formatter);
        }
        StatusLine.json(formatter);
    }

    @Override
    public String format(LogRecord r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("time", Instant.ofEpochMilli(r.getMillis()).toString());
        json.put("level", r.getLevel().getName());
        json.put("logger", r.getLoggerName());
        json.put("message", r instanceof AccessLog.Line ? r.getMessage() : formatMessage(r));
        if (r instanceof AccessLog.Line line) {
            json.putAll(line.fields());
        }
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            json.put("error", trace.toString());
        }
        try {
            return MAPPER.writeValueAsString(json) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            return "{\"level\":\"SEVERE\",\"message\":\"unloggable record\"}" + System.lineSeparator();
        }
    }
}
