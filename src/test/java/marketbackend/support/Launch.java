package marketbackend.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code marketbackend.Main} in a JVM of its own, with only the environment given (as a user would). */
public final class Launch {
    private Launch() {
    }

    public record Result(int exit, String out, String err) {
    }

    public static ProcessBuilder builder(Map<String, String> env, String... args) {
        // without the test classes: Helidon prefers their logging-test.properties to the shipped logging.properties
        String testClasses = Path.of("target/test-classes").toAbsolutePath().toString();
        String classPath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.isEmpty() && !Path.of(e).toAbsolutePath().toString().equals(testClasses))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "marketbackend.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("DB_") || k.startsWith("JWT") || k.startsWith("SERVER_")
                || k.startsWith("APP_") || k.startsWith("EMBEDDED_") || k.startsWith("TEST_") || k.startsWith("CORS"));
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs to the end (at most {@code seconds}) and answers exit code, stdout and stderr. */
    public static Result run(int seconds, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Process p = builder(env, args).start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after " + seconds + " s: " + String.join(" ", args));
        }
        return new Result(p.exitValue(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
