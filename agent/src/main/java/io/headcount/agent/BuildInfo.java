package io.headcount.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The agent's version and the git commit it was built from, written into
 * {@code build.properties} by the build; {@code unknown} when built outside a git checkout or
 * run from classes that were not packaged by Maven.
 */
public final class BuildInfo {
    static final String UNKNOWN = "unknown";
    private static final BuildInfo CURRENT = read();

    private final String version;
    private final String revision;

    BuildInfo(String version, String revision) {
        this.version = known(version);
        this.revision = known(revision);
    }

    public static BuildInfo current() {
        return CURRENT;
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

    private static BuildInfo read() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
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
