package marketbackend.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import marketbackend.AppConfig;

/**
 * A private PgBouncer (Debian's, {@code /usr/sbin/pgbouncer}) in transaction-pooling mode, in front of
 * one database, on a free loopback port, with its configuration in a temporary directory. The
 * machine's own pgbouncer service is never touched. Its auth_file holds the pool's login role only:
 * a server behind it cannot connect as the owner even by mistake. As root it runs as the
 * {@code postgres} OS user (PgBouncer refuses to run as root).
 */
public final class PgBouncer implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

    private final Path dir;
    private final int port;
    private final String database;
    private final Process process;

    private PgBouncer(Path dir, int port, String database, Process process) {
        this.dir = dir;
        this.port = port;
        this.database = database;
        this.process = process;
    }

    /**
     * The test configuration as a server behind a transaction pooler runs: its pool through
     * {@code pooledUrl}, the owner still directly ({@code DB_MIGRATION_URL}), no migration on start.
     */
    public static AppConfig behind(String pooledUrl, int poolSize) {
        TestDatabase direct = TestDatabase.get();
        return direct.config(Map.of("DB_URL", pooledUrl, "DB_MIGRATION_URL", direct.config().db().ownerUrl(),
                "MIGRATE_ON_START", "false", "DB_POOL_SIZE", Integer.toString(poolSize)));
    }

    /**
     * Starts a pooler for the database of {@code directUrl} (jdbc:postgresql://host:port/db) that lets
     * in {@code user} with {@code password}, keeping at most {@code serverConnections} to PostgreSQL.
     */
    public static PgBouncer start(String directUrl, String user, String password, int serverConnections)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's pgbouncer (bash .ci/run does)");
        }
        URI target = URI.create(directUrl.substring("jdbc:".length()));
        String db = target.getPath().substring(1);
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("market-pgbouncer-");
        int port = freePort();
        Files.writeString(dir.resolve("userlist.txt"), "\"" + user + "\" \"" + password + "\"\n");
        Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                "[databases]",
                db + " = host=" + target.getHost() + " port=" + (target.getPort() < 0 ? 5432 : target.getPort())
                        + " dbname=" + db + " pool_size=" + serverConnections,
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = md5",
                "auth_file = " + dir.resolve("userlist.txt"),
                "pool_mode = transaction",
                "max_client_conn = 200",
                // pgjdbc sends both at start-up; PgBouncer 1.18 refuses a connection with either otherwise
                "ignore_startup_parameters = extra_float_digits,options",
                "logfile = " + dir.resolve("pgbouncer.log"),
                ""));
        List<String> command = new ArrayList<>();
        if (root) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.toList()) {
                    Files.setOwner(p, postgres);
                }
            }
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(BINARY.toString(), dir.resolve("pgbouncer.ini").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        PgBouncer bouncer = new PgBouncer(dir, port, db, process);
        // a JVM that exits without the test's @AfterAll still stops it
        Runtime.getRuntime().addShutdownHook(new Thread(bouncer::close, "stop-private-pgbouncer"));
        bouncer.awaitListening();
        return bouncer;
    }

    /** The pool's JDBC URL through this pooler, with the setting pgjdbc needs behind a transaction pooler. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?prepareThreshold=0";
    }

    /** The same without {@code prepareThreshold=0}: pgjdbc's defaults. */
    public String urlWithDriverDefaults() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    private void awaitListening() throws IOException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited (" + process.exitValue() + "): " + log());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("pgbouncer did not listen on " + port + " within 10 s: " + log());
    }

    private String log() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("stdout.log", "pgbouncer.log")) {
            Path p = dir.resolve(name);
            if (Files.exists(p)) {
                out.append('\n').append(Files.readString(p));
            }
        }
        return out.toString();
    }

    /** Stops the process this class started (and its child, under runuser), then removes its directory. */
    @Override
    public synchronized void close() {
        if (!Files.exists(dir)) {
            return;
        }
        List<ProcessHandle> started = new ArrayList<>(process.descendants().toList());
        started.add(process.toHandle());
        for (ProcessHandle h : started) {
            h.destroy();
        }
        for (ProcessHandle h : started) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
