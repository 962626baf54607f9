package marketbackend.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A digest of the migrations and policies this build ships (classpath db/migration and db/policies).
 * {@code migrate} stores it in {@code app.schema_state}; a server that does not migrate compares.
 */
public final class SchemaFingerprint {
    private static final String[] FOLDERS = {"db/migration", "db/policies"};

    private SchemaFingerprint() {
    }

    public static String ofThisBuild() {
        Map<String, byte[]> files = new TreeMap<>();
        try {
            for (String folder : FOLDERS) {
                Enumeration<URL> roots = SchemaFingerprint.class.getClassLoader().getResources(folder);
                while (roots.hasMoreElements()) {
                    collect(roots.nextElement(), folder, files);
                }
            }
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                d.update(f.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                d.update((byte) 0);
                d.update(f.getValue());
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Flyway's files only (V__ and R__ scripts): what `migrate` applies. */
    private static boolean isMigration(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        return (file.startsWith("V") || file.startsWith("R__")) && file.endsWith(".sql");
    }

    private static void collect(URL root, String folder, Map<String, byte[]> files) throws IOException, URISyntaxException {
        if ("jar".equals(root.getProtocol())) {
            JarURLConnection jar = (JarURLConnection) root.openConnection();
            try (JarFile file = jar.getJarFile()) {
                for (JarEntry e : java.util.Collections.list(file.entries())) {
                    if (e.getName().startsWith(folder + "/") && !e.isDirectory() && isMigration(e.getName())) {
                        try (InputStream in = file.getInputStream(e)) {
                            files.put(e.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        } else {
            Path dir = Path.of(root.toURI());
            try (Stream<Path> paths = Files.list(dir)) {
                for (Path p : paths.toList()) {
                    String name = folder + "/" + p.getFileName();
                    if (Files.isRegularFile(p) && isMigration(name)) {
                        files.put(name, Files.readAllBytes(p));
                    }
                }
            }
        }
    }
}
