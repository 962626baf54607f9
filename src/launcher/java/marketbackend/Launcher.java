package marketbackend;

import java.lang.reflect.InvocationTargetException;

/**
 * The jar's Main-Class, compiled for Java 8 (pom.xml, execution launcher-java8): on a Java older than 21 it
 * names the JDK needed in one line instead of an UnsupportedClassVersionError, else it runs {@code Main}.
 */
public final class Launcher {
    private static final int NEEDED = 21;

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        String version = System.getProperty("java.specification.version", "0");
        int major = Integer.parseInt(version.startsWith("1.") ? version.substring(2) : version.split("\\.")[0]);
        if (major < NEEDED) {
            System.err.println("market-backend: needs Java " + NEEDED + " or newer, this java is " + version + " ("
                    + System.getProperty("java.home") + "): run the jar with the java of a JDK " + NEEDED + "+ (e.g. openjdk-" + NEEDED
                    + "-jdk-headless, or Temurin from adoptium.net), or use bin/market-backend, which finds one");
            System.exit(1);
        }
        try {
            Class.forName("marketbackend.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
