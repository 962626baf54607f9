package marketbackend.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;

/**
 * One access-log line per request (logger {@code marketbackend.access}). Requests only queue what
 * they answered; one background thread makes and writes the lines, so neither formatting nor a slow
 * console or disk holds a request (when the bounded queue is full the line is dropped and counted,
 * never waited for). Every field is escaped:
 * a control character, space, quote or backslash sent by a client is written as {@code \xNN}, so a
 * {@code %0a} in a path cannot start a forged line. With {@code LOG_FORMAT=json} the fields become
 * JSON members instead ({@link JsonLogFormatter}).
 */
public final class AccessLog {
    private static final Logger LOG = Logger.getLogger("marketbackend.access");
    private static final BlockingQueue<Answered> QUEUE = new ArrayBlockingQueue<>(16_384);
    private static final AtomicLong DROPPED = new AtomicLong();

    static {
        Thread.ofPlatform().daemon().name("access-log").start(AccessLog::write);
        Runtime.getRuntime().addShutdownHook(new Thread(AccessLog::drain, "access-log-drain"));
        Metrics.getOrCreate(Gauge.builder("market.access.log.dropped", DROPPED::get)
                .description("Access-log lines dropped because the writer fell behind"));
    }

    private AccessLog() {
    }

    /** A log record that also carries the line's fields, for the JSON format. */
    static final class Line extends LogRecord {
        private final transient Map<String, Object> fields;

        Line(String message, Map<String, Object> fields) {
            super(Level.INFO, message);
            this.fields = fields;
            setLoggerName(LOG.getName());
        }

        Map<String, Object> fields() {
            return fields;
        }
    }

    public static void record(Answered a) {
        if (LOG.isLoggable(Level.INFO) && !QUEUE.offer(a)) {
            DROPPED.incrementAndGet();
        }
    }

    /** The line of an answered request, with its fields for the JSON format. */
    static Line line(Answered a) {
        long micros = a.nanos() / 1_000;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("method", a.method());
        fields.put("path", a.path());
        fields.put("status", a.status());
        fields.put("duration_ms", micros / 1000.0);
        fields.put("market", a.market());
        fields.put("actor", a.actor());
        fields.put("user", a.user());
        fields.put("request_id", a.requestId());
        String fraction = Long.toString(micros % 1000);
        String text = escape(a.method()) + ' ' + escape(a.path()) + ' ' + a.status() + ' ' + micros / 1000 + '.'
                + "000".substring(fraction.length()) + fraction + "ms market=" + escape(a.market())
                + " actor=" + escape(a.actor()) + " user=" + escape(a.user()) + " request_id=" + escape(a.requestId());
        return new Line(text, fields);
    }

    /** Printable ASCII stays; everything else (controls, space, quotes, backslash, non-ASCII) becomes \xNN per UTF-8 byte. */
    public static String escape(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    private static void write() {
        while (true) {
            try {
                LOG.log(line(QUEUE.take()));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a broken handler must not end the writer
                DROPPED.incrementAndGet();
            }
        }
    }

    private static void drain() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        Answered answered;
        while (System.nanoTime() < until && (answered = QUEUE.poll()) != null) {
            LOG.log(line(answered));
        }
    }
}
