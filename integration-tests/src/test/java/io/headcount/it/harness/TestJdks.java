package io.headcount.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDKs a test that runs on "every JDK" uses: the one the other tests run apps on (the build's,
 * or {@code headcount.it.java}), then each home named in the environment variable
 * {@value #VARIABLE} (colon-separated {@code JAVA_HOME}s; {@code .ci/run} names Temurin 25 when the
 * machine has it). A home without {@code bin/java} fails the test rather than being skipped silently.
 * The matrix apps are built for Java 17 (Tomcat 11, Jetty 12 and Spring Boot need it), so each home
 * must be a JDK 17 or newer.
 */
public final class TestJdks {
    public static final String VARIABLE = "HEADCOUNT_TEST_JDKS";
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private TestJdks() {
    }

    /** One JDK: its {@code java} binary and its feature version (17, 21, 25...). */
    public record Jdk(Path java, int feature) {
        /** {@code Java 25}: how tests and the compatibility table name it. */
        public String name() {
            return "Java " + feature;
        }

        @Override
        public String toString() {
            return name();
        }
    }

    /** Every JDK to run on, the default first, each home once. */
    public static List<Jdk> all() {
        Map<Path, Jdk> jdks = new LinkedHashMap<>();
        Jdk first = defaultJdk();
        jdks.put(realPath(first.java()), first);
        String homes = System.getenv(VARIABLE);
        if (homes != null) {
            for (String home : homes.split(":")) {
                if (home.isBlank()) {
                    continue;
                }
                Path java = Path.of(home.strip(), "bin", "java");
                if (!Files.isExecutable(java)) {
                    throw new IllegalStateException(VARIABLE + " names " + home + ", which has no bin/java");
                }
                jdks.putIfAbsent(realPath(java), new Jdk(java, featureOf(Path.of(home.strip()))));
            }
        }
        return new ArrayList<>(jdks.values());
    }

    private static Jdk defaultJdk() {
        String configured = System.getProperty("headcount.it.java", "");
        if (!configured.isBlank()) {
            Path java = Path.of(configured);
            return new Jdk(java, featureOf(realPath(java).getParent().getParent()));
        }
        Path java = ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
        return new Jdk(java, Runtime.version().feature());
    }

    /** From the home's {@code release} file, which every JDK since 9 has. */
    private static int featureOf(Path home) {
        try {
            Matcher version = RELEASE_VERSION.matcher(Files.readString(home.resolve("release")));
            if (!version.find()) {
                throw new IllegalStateException(home.resolve("release") + " names no JAVA_VERSION");
            }
            return Integer.parseInt(version.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell the version of the JDK at " + home, e);
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
