package marketbackend.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster of this test's own, on a free loopback port, for tests that stop
 * and restart the database, or read from a streaming replica of it. The machine's shared cluster is never touched. As root, the server
 * binaries run as the {@code postgres} OS user (PostgreSQL refuses to run as root), which owns the
 * temporary directory; trust authentication, loopback only, socket in the temporary directory.
 */
final class PrivateCluster implements AutoCloseable {
    private static final Path INSTALLS = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgres;

    private PrivateCluster(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** The newest installed server binaries ({@code /usr/lib/postgresql/<version>/bin}), if any. */
    static Optional<Path> binaries() {
        if (!Files.isDirectory(INSTALLS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(INSTALLS)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl"))
                            && Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString().replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** initdb into a new temporary directory, then start it. */
    static PrivateCluster create(Path bin) throws IOException, InterruptedException {
        PrivateCluster pg = empty(bin);
        pg.run(60, "initdb", "-D", pg.data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--locale=C", "--no-sync");
        pg.start();
        return pg;
    }

    /**
     * A hot standby of this cluster in a new temporary directory: {@code pg_basebackup -R} (streaming
     * replication from this one, over loopback, as initdb's trust rules allow), then started.
     */
    PrivateCluster standby() throws IOException, InterruptedException {
        PrivateCluster replica = empty(bin);
        replica.run(120, "pg_basebackup", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
                "-D", replica.data.toString(), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync");
        replica.start();
        return replica;
    }

    /** A new temporary directory (owned by the postgres OS user when run as root), nothing in it yet. */
    private static PrivateCluster empty(Path bin) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("market-pg-");
        if (root) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        PrivateCluster pg = new PrivateCluster(bin, dir, freePort(), root);
        // a JVM that exits without @AfterAll (a crash, an interrupted build) still stops it
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "stop-private-postgres"));
        return pg;
    }

    int port() {
        return port;
    }

    /** A superuser JDBC URL of the database {@code postgres}. */
    String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    void start() throws IOException, InterruptedException {
        run(60, "pg_ctl", "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "30",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c max_connections=40", "start");
    }

    /** {@code pg_ctl restart -m fast}: every connection is cut, the cluster is back when this returns. */
    void restart() throws IOException, InterruptedException {
        run(60, "pg_ctl", "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "30",
                "-m", "fast", "restart");
    }

    /** @param mode fast (clean shutdown) or immediate (as if the server crashed) */
    void stop(String mode) throws IOException, InterruptedException {
        run(60, "pg_ctl", "-D", data.toString(), "-w", "-t", "30", "-m", mode, "stop");
    }

    /** SIGSTOP to the postmaster and every backend: connections stay open, nothing answers (a hung server). */
    void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        long postmaster = postmasterPid();
        List<String> command = new ArrayList<>(List.of("kill", signal, Long.toString(postmaster)));
        ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(h -> command.add(Long.toString(h.pid())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        // a backend that exited meanwhile makes kill fail for its pid only: the others got the signal
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().trim());
    }

    @Override
    public synchronized void close() {
        if (!Files.exists(dir)) {
            return;
        }
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                thaw();
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("private PostgreSQL: " + e.getMessage());
            }
            try {
                stop("immediate");
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("private PostgreSQL did not stop with pg_ctl: " + e.getMessage());
                quit();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** The postmaster this class started, ended by its pid (SIGQUIT = immediate shutdown), awaited. */
    private void quit() {
        try {
            ProcessHandle h = ProcessHandle.of(postmasterPid()).orElse(null);
            if (h != null) {
                new ProcessBuilder("kill", "-QUIT", Long.toString(h.pid())).start().waitFor(10, TimeUnit.SECONDS);
                h.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            System.err.println("private PostgreSQL may still run: " + e);
        }
    }

    private void run(int timeoutSeconds, String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (asPostgres) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(tool + " did not finish in " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                    + new String(out, StandardCharsets.UTF_8) + log());
        }
    }

    private String log() {
        try {
            Path log = dir.resolve("server.log");
            return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
