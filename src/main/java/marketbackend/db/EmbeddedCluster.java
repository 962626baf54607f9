package marketbackend.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;

/**
 * A PostgreSQL 17 cluster of this machine's own, from the binaries in the zonky jar, in a folder of
 * its own ({@code EMBEDDED_PG_DIR}): initdb on first use, started on a free loopback port, stopped
 * when this process exits (unless another process had started it). PostgreSQL refuses to run as
 * root, so as root the server runs as the OS user that owns the data folder ({@value #OS_USER},
 * created when missing, saying so). The binaries are unpacked into the folder too, not the temporary
 * one. The superuser password is random and kept in the folder (mode 600).
 */
public final class EmbeddedCluster implements AutoCloseable {
    public static final String OS_USER = "market-postgres";
    public static final String MAJOR = "17";
    private static final String PASSWORD_FILE = "superuser.password";

    private final Path dir;
    private final Path bin;
    private final Path data;
    private final List<String> runAs;
    private final int port;
    private final String password;
    private final boolean startedHere;

    private EmbeddedCluster(Path dir, Path bin, List<String> runAs, int port, String password, boolean startedHere) {
        this.dir = dir;
        this.bin = bin;
        this.data = dir.resolve("pgdata");
        this.runAs = runAs;
        this.port = port;
        this.password = password;
        this.startedHere = startedHere;
    }

    /** The cluster in {@code dir}: created if missing, reused if running, else started. */
    public static EmbeddedCluster open(Path dir, Consumer<String> say) {
        return open(dir, say, () -> { });
    }

    /** A new cluster in a temporary folder, stopped and deleted when this process exits (for tests). */
    public static EmbeddedCluster throwaway(Consumer<String> say) {
        try {
            Path dir = Files.createTempDirectory("market-backend-pg-");
            return open(dir, say, () -> {
                try {
                    Archives.deleteTree(dir);
                } catch (IOException e) {
                    System.err.println("Could not delete " + dir + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedCluster open(Path dir, Consumer<String> say, Runnable afterStop) {
        try {
            dir = dir.toAbsolutePath().normalize();
            Files.createDirectories(dir);
            Path bin = binaries(dir);
            Path data = dir.resolve("pgdata");
            List<String> runAs = runAs(dir, say);
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                say.accept("embedded PostgreSQL " + MAJOR + ": creating a cluster in " + dir);
                initdb(bin, dir, runAs);
            }
            String version = Files.readString(data.resolve("PG_VERSION")).trim();
            if (!MAJOR.equals(version)) {
                throw new IllegalStateException("The embedded PostgreSQL folder " + dir + " holds a PostgreSQL "
                        + version + " cluster; this server runs " + MAJOR + ": move the folder away or set EMBEDDED_PG_DIR");
            }
            String password = Files.readString(dir.resolve(PASSWORD_FILE)).trim();
            Integer running = runningPort(bin, data, runAs);
            if (running != null) {
                return new EmbeddedCluster(dir, bin, runAs, running, password, false);
            }
            int port = freePort();
            run(runAs, 90, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    dir.resolve("postgres.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''", "start");
            EmbeddedCluster pg = new EmbeddedCluster(dir, bin, runAs, port, password, true);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                pg.close();
                afterStop.run();
            }, "stop-embedded-postgres"));
            say.accept("embedded PostgreSQL " + MAJOR + " on 127.0.0.1:" + port + ", data in " + data);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the embedded PostgreSQL", e);
        }
    }

    /** Whether a server runs on the cluster in {@code dir} (its postmaster.pid names a live process and a port that answers). */
    public static boolean isRunning(Path dir) {
        try {
            List<String> pid = Files.readAllLines(dir.resolve("pgdata/postmaster.pid"));
            if (pid.size() < 4 || ProcessHandle.of(Long.parseLong(pid.get(0).trim())).isEmpty()) {
                return false;
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(pid.get(3).trim())), 1000);
                return true;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A superuser JDBC URL (for {@code bootstrap}). */
    public String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&password=" + password;
    }

    /** The URL of {@code database} on this cluster, without credentials. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** Stops the server if this process started it. */
    @Override
    public synchronized void close() {
        if (!startedHere || !Files.exists(data.resolve("postmaster.pid"))) {
            return;
        }
        try {
            run(runAs, 60, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not stop the embedded PostgreSQL in " + dir + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void initdb(Path bin, Path dir, List<String> runAs) throws IOException, InterruptedException {
        String password = randomPassword();
        Path secret = dir.resolve(PASSWORD_FILE);
        Files.writeString(secret, password + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        // initdb reads the password as the cluster's OS user, from a file only it can read, removed at once
        Path pwfile = dir.resolve(".initdb-password");
        Files.writeString(pwfile, password + "\n");
        Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
        if (!runAs.isEmpty()) {
            Files.setOwner(pwfile, Files.getOwner(dir));
        }
        try {
            run(runAs, 120, bin.resolve("initdb").toString(), "-D", dir.resolve("pgdata").toString(), "-U", "postgres",
                    "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8",
                    "--locale-provider=builtin", "--locale=C.UTF-8", "--no-instructions");
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    /** The port of a server already running on this data folder (postmaster.pid, line 4), or null. */
    private static Integer runningPort(Path bin, Path data, List<String> runAs) throws IOException, InterruptedException {
        Path pid = data.resolve("postmaster.pid");
        if (!Files.exists(pid)) {
            return null;
        }
        Process p = new ProcessBuilder(command(runAs, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "status"))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return null;
        }
        List<String> lines = Files.readAllLines(pid);
        return lines.size() > 3 ? Integer.parseInt(lines.get(3).trim()) : null;
    }

    /**
     * Not root: nothing. Root: {@code setpriv} to the owner of {@code dir}, which becomes
     * {@value #OS_USER} (created when missing, in one line) if root owns it.
     */
    private static List<String> runAs(Path dir, Consumer<String> say) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return List.of();
        }
        if ((int) Files.getAttribute(dir, "unix:uid") == 0) {
            try {
                if (run(List.of(), 30, "id", "-u", OS_USER) != 0) {
                    say.accept("Running as root, and PostgreSQL refuses to: creating the OS user " + OS_USER
                            + " (system user, no login, no home) to run the embedded PostgreSQL");
                    run(List.of(), 60, "useradd", "--system", "--user-group", "--no-create-home", "--home-dir",
                            "/nonexistent", "--shell", "/usr/sbin/nologin", OS_USER);
                }
                var users = dir.getFileSystem().getUserPrincipalLookupService();
                var view = Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class);
                view.setOwner(users.lookupPrincipalByName(OS_USER));
                view.setGroup(users.lookupPrincipalByGroupName(OS_USER));
            } catch (IOException | IllegalStateException e) {
                // e.g. root inside `unshare -r`: the namespace maps no other user, so PostgreSQL has none to run as
                throw new IllegalStateException("Running as root, the embedded PostgreSQL needs the OS user " + OS_USER
                        + " but cannot create it or hand it " + dir + " (" + oneLine(e) + "; a user namespace such as"
                        + " `unshare -r` maps no other user): run as an ordinary user, or set DB_URL to a PostgreSQL of your own");
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        List<String> runAs = List.of("setpriv", "--reuid=" + Files.getAttribute(dir, "unix:uid"),
                "--regid=" + Files.getAttribute(dir, "unix:gid"), "--clear-groups", "--");
        if (run(runAs, 30, "test", "-w", dir.toString()) != 0) {
            throw new IllegalStateException("The embedded PostgreSQL runs as OS user " + Files.getOwner(dir).getName()
                    + ", which cannot reach " + dir + " (a parent folder is closed to other users):"
                    + " set EMBEDDED_PG_DIR to a folder below one it can reach, e.g. /var/lib/market-backend");
        }
        return runAs;
    }

    private static String oneLine(Exception e) {
        return (e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                ? f.getReason() : String.valueOf(e.getMessage())).strip().replace('\n', ' ');
    }

    /**
     * The binaries of the zonky jar, unpacked once per content into {@code dir} (the cluster's own folder,
     * so nothing is left in the temporary folder), readable by all.
     */
    private static synchronized Path binaries(Path dir) throws IOException {
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64")) {
            archive = in.readAllBytes();
        }
        String id = Integer.toHexString(java.util.Arrays.hashCode(archive)) + "-" + archive.length;
        Path target = dir.resolve("postgres-" + MAJOR + "-" + id);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target.resolve("bin");
        }
        Path tmp = Files.createTempDirectory(dir, "postgres-unpack-");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Archives.untarXz(new BufferedInputStream(new java.io.ByteArrayInputStream(archive)), tmp);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException alreadyThere) {
            // another process unpacked the same archive first: use its copy
            Archives.deleteTree(tmp);
        }
        return target.resolve("bin");
    }

    private static int run(List<String> runAs, int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        List<String> full = command(runAs, cmd);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("Timed out: " + String.join(" ", full));
        }
        boolean probe = cmd[0].equals("id") || cmd[0].equals("test");
        if (p.exitValue() != 0 && !probe) {
            throw new IllegalStateException("The embedded PostgreSQL failed (" + Path.of(cmd[0]).getFileName()
                    + ", exit " + p.exitValue() + "): " + out.strip().replace('\n', ' '));
        }
        return p.exitValue();
    }

    private static List<String> command(List<String> runAs, String... cmd) {
        List<String> full = new ArrayList<>(runAs);
        full.addAll(List.of(cmd));
        return full;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
