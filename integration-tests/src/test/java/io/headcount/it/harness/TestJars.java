package io.headcount.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/** The packaged jars under test, as files: surefire names them in system properties. */
public final class TestJars {
    private TestJars() {
    }

    /** {@code agent/target/headcount-agent.jar}. */
    public static Path agent() {
        return existing("headcount.agent.jar");
    }

    /** {@code test-app/target/headcount-test-app.jar}. */
    public static Path testApp() {
        return existing("headcount.testapp.jar");
    }

    /** The runnable jar of a matrix module: {@code matrix/<module>/target/headcount-matrix-<module>.jar}. */
    public static Path matrixApp(String module) {
        String dir = System.getProperty("headcount.matrix.dir");
        if (dir == null) {
            throw new IllegalStateException("system property headcount.matrix.dir is not set: run the tests through Maven");
        }
        Path path = Path.of(dir, module, "target", "headcount-matrix-" + module + ".jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " does not exist: package it first (./mvnw -B -DskipTests package)");
        }
        return path;
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven");
        }
        Path path = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " does not exist: package it first (./mvnw -B -DskipTests package)");
        }
        return path;
    }
}
