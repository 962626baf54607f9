package marketbackend.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import marketbackend.support.Contract;

/**
 * HTTP/1.1 over a plain socket: sends exactly the bytes given (malformed on purpose, if need be)
 * and reads one answer. Every request asks for {@code Connection: close}, so the answer ends where
 * the stream does; a server that never answers fails the read after {@link #TIMEOUT_MS}.
 */
final class RawHttp {
    static final int TIMEOUT_MS = 10_000;

    private RawHttp() {
    }

    /** One answer; {@code status} is -1 when the server closed the connection without one. */
    record Answer(int status, Map<String, String> headers, String body, long millis) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    /** A request built from parts; header lines are written as given, in order. */
    static byte[] request(String method, String target, Map<String, ? extends Iterable<String>> headers, byte[] body) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        sb.append("Host: localhost\r\n");
        headers.forEach((name, values) -> values.forEach(v -> sb.append(name).append(": ").append(v).append("\r\n")));
        if (body != null) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) {
            return head;
        }
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    static Answer send(int port, String raw) {
        return send(port, raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Answer send(int port, byte[] raw) {
        long start = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            try {
                out.write(raw);
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                // the server may answer and close before reading everything (e.g. oversized headers)
            }
            byte[] bytes = readAll(s.getInputStream());
            Answer answer = parse(bytes, (System.nanoTime() - start) / 1_000_000);
            contract(raw, answer);
            return answer;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT_MS + " ms", e);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Method and target; {@link #validTarget} checks the target in a loop: an alternation under {@code *} recursed per character. */
    private static final java.util.regex.Pattern REQUEST_LINE = java.util.regex.Pattern.compile("([A-Z]+) (/\\S*) HTTP/1\\.1");
    private static final java.util.regex.Pattern HEADER_LINE =
            java.util.regex.Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+): ?([\\x20-\\x7E]*)");

    /**
     * Feeds the contract check. A request that is valid HTTP/1.1 (request line, header lines, one
     * Content-Length that frames the body exactly) is checked like any other; bytes that are not
     * HTTP have no operation to be checked against, so only their answer is (it must still be a
     * documented problem answer).
     */
    private static void contract(byte[] raw, Answer answer) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r\n", -1);
        java.util.regex.Matcher line = REQUEST_LINE.matcher(lines[0]);
        boolean valid = end >= 0 && line.matches() && validTarget(line.group(2));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; valid && i < lines.length; i++) {
            java.util.regex.Matcher h = HEADER_LINE.matcher(lines[i]);
            valid = h.matches();
            if (valid) {
                headers.computeIfAbsent(h.group(1), k -> new ArrayList<>()).add(h.group(2).trim());
            }
        }
        String body = end < 0 ? "" : new String(raw, end + 4, raw.length - end - 4, StandardCharsets.UTF_8);
        List<String> length = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Content-Length"))
                .flatMap(e -> e.getValue().stream()).toList();
        valid = valid && headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Transfer-Encoding"))
                && (length.isEmpty() ? end + 4 == raw.length
                        : length.size() == 1 && length.getFirst().equals(Integer.toString(raw.length - end - 4)));
        Map<String, List<String>> answered = new LinkedHashMap<>();
        answer.headers().forEach((k, v) -> answered.put(k, List.of(v)));
        String target = line.matches() ? line.group(2) : "/api";
        int q = target.indexOf('?');
        Contract.Exchange x = new Contract.Exchange(line.matches() ? line.group(1) : "GET",
                q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1), headers,
                body.isEmpty() ? null : body, answer.status(), answered, answer.body());
        if (valid) {
            Contract.check(x);
        } else {
            Contract.checkAnswer(x);
        }
    }

    /** Visible ASCII with every {@code %} followed by two hex digits, as HTTP/1.1 allows in a request target. */
    static boolean validTarget(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
            if (c == '%' && (i + 2 >= target.length() || Character.digit(target.charAt(i + 1), 16) < 0
                    || Character.digit(target.charAt(i + 2), 16) < 0)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                buf.write(chunk, 0, n);
            }
        } catch (java.net.SocketException e) {
            // connection reset after the answer: keep what arrived
        }
        return buf.toByteArray();
    }

    private static Answer parse(byte[] bytes, long millis) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Answer(-1, Map.of(), text, millis);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] rest = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            rest = dechunk(rest);
        } else if (headers.containsKey("content-length")) {
            rest = java.util.Arrays.copyOf(rest, Math.min(rest.length, Integer.parseInt(headers.get("content-length"))));
        }
        return new Answer(status, headers, new String(rest, StandardCharsets.UTF_8), millis);
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int lineEnd = indexOf(body, i);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(body, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            out.write(body, lineEnd + 2, Math.min(size, body.length - lineEnd - 2));
            i = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
