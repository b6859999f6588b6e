package io.headcount.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The agent's version and the git commit it was built from, written into
 * {@code build.properties} by the build; {@code unknown} when built outside a git checkout or
 * run from classes that were not packaged by Maven.
 */
public final class BuildInfo {
    static final String UNKNOWN = "unknown";
    private static final String PROPERTIES = "io/headcount/agent/build.properties";

    private final String version;
    private final String revision;

    BuildInfo(String version, String revision) {
        this.version = known(version);
        this.revision = known(revision);
    }

    /** As a resource of the class loader: for the command line, which has no jar open. */
    public static BuildInfo current() {
        return Current.VALUE;
    }

    /** Read on first use only, so that the premain, which reads the open jar instead, never reads it here. */
    private static final class Current {
        static final BuildInfo VALUE = read();
    }

    public String version() {
        return version;
    }

    public String revision() {
        return revision;
    }

    /** {@code 0.1.0 (revision 4f3c2a1...)}: for the start line and {@code --version}. */
    @Override
    public String toString() {
        return version + " (revision " + revision + ")";
    }

    /**
     * From the agent's own jar, already open: the premain reads it there, as a resource read
     * through the class loader goes through a {@code jar:} URL (about 10 ms on one core).
     */
    static BuildInfo readFrom(JarFile agentJar) {
        JarEntry entry = agentJar.getJarEntry(PROPERTIES);
        try (InputStream in = entry == null ? null : agentJar.getInputStream(entry)) {
            return from(in);
        } catch (IOException | RuntimeException e) {
            return from(null);
        }
    }

    private static BuildInfo read() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/" + PROPERTIES)) {
            return from(in);
        } catch (IOException | RuntimeException e) {
            return from(null);
        }
    }

    private static BuildInfo from(InputStream in) {
        Properties properties = new Properties();
        try {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException | RuntimeException e) {
            // Unknown it is: a version is never worth failing over.
        }
        return new BuildInfo(properties.getProperty("version"), properties.getProperty("revision"));
    }

    /** A value, or unknown for a missing, empty or unfiltered ({@code ${...}}) one. */
    private static String known(String value) {
        if (value == null || value.trim().isEmpty() || value.contains("${")) {
            return UNKNOWN;
        }
        return value.trim();
    }
}
