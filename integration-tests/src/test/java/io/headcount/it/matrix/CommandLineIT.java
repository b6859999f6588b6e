package io.headcount.it.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.TestJars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code java -jar headcount-agent.jar ...}: the packaged jar as an operator runs it. */
class CommandLineIT {
    /** The contract's settings and their defaults. */
    private static final Map<String, String> CONTRACT_DEFAULTS = Map.of(
            "enabled", "true",
            "host", "0.0.0.0",
            "port", "9465",
            "redis.url", "(unset)",
            "forwarded-header", "X-Forwarded-For",
            "endpoint.max", "200",
            "referrer.max", "100",
            "exclude.paths", "/health*,/metrics*,/favicon.ico",
            "day.zone", "UTC");

    record Run(int exit, String out, String err) {
    }

    @Test
    void helpPrintsUsageAndEverySettingWithItsDefault() throws Exception {
        Run help = run("--help");
        assertEquals(0, help.exit());
        assertEquals("", help.err());
        assertTrue(help.out().startsWith("Headcount: privacy-preserving visitor analytics for any JVM web app.\n"),
                help.out());
        for (String usage : List.of("java -javaagent:headcount-agent.jar[=key=value,key=value...] -jar app.jar",
                "java -jar headcount-agent.jar attach <pid> [key=value,key=value...]",
                "java -jar headcount-agent.jar attach --list",
                "java -jar headcount-agent.jar --version",
                "java -jar headcount-agent.jar --help")) {
            assertTrue(help.out().contains("  " + usage + "\n"), "usage line: " + usage + "\n" + help.out());
        }
        List<String> missing = new ArrayList<>();
        CONTRACT_DEFAULTS.forEach((key, value) -> {
            Pattern row = Pattern.compile("(?m)^" + Pattern.quote(key) + " +" + Pattern.quote(value) + " +\\S");
            if (!row.matcher(help.out()).find()) {
                missing.add(key + " " + value);
            }
        });
        assertEquals(List.of(), missing, "settings table rows\n" + help.out());
        // The default of trusted-proxies (issue 17) is long: it wraps after commas.
        Pattern trusted = Pattern.compile("(?m)^trusted-proxies +10\\.0\\.0\\.0/8,192\\.168\\.0\\.0/16, +\\S.*\n"
                + " +169\\.254\\.0\\.0/16,127\\.0\\.0\\.0/8,\n"
                + " +100\\.64\\.0\\.0/10,172\\.16\\.0\\.0/12,::1,\n"
                + " +fc00::/7,fe80::/10\n");
        assertTrue(trusted.matcher(help.out()).find(), help.out());
    }

    @Test
    void versionNamesTheBuildAndItsGitRevision() throws Exception {
        Run version = run("--version");
        assertEquals(0, version.exit());
        assertEquals("headcount-agent " + AgentLogLines.build() + "\n", version.out());
        assertTrue(version.out().matches("headcount-agent \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(revision ([0-9a-f]{40}|unknown)\\)\n"),
                version.out());
    }

    @Test
    void attachOnARuntimeWithoutTheAttachModuleSaysSo() throws Exception {
        Run attach = runWith(List.of("--limit-modules", "java.se"), "attach", "--list");
        assertEquals(2, attach.exit());
        assertEquals("headcount: this Java runtime has no jdk.attach module, which attach needs;"
                + " run the command with a full JDK's java\n", attach.err());
    }

    @Test
    void noCommandPrintsTheUsageAndFails() throws Exception {
        Run bare = run();
        assertEquals(2, bare.exit());
        assertTrue(bare.out().contains("Usage:"), bare.out());
    }

    @Test
    void anUnknownCommandIsNamedAndFails() throws Exception {
        Run unknown = run("detach", "42");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("headcount: unknown command 'detach 42'\n"), unknown.err());
    }

    @Test
    void attachingToSomethingThatIsNoProcessIdFails() throws Exception {
        Run attach = run("attach", "not-a-pid");
        assertEquals(2, attach.exit());
        assertEquals("headcount: 'not-a-pid' is not a process id\n", attach.err());
    }

    static Run run(String... arguments) throws IOException, InterruptedException {
        return runWith(List.of(), arguments);
    }

    private static Run runWith(List<String> jvmArgs, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", TestJars.agent().toString()));
        command.addAll(List.of(arguments));
        // Files, not pipes: a process blocked on one full pipe while we read the other would hang.
        Path out = Files.createTempFile("headcount-cli-", ".out");
        Path err = Files.createTempFile("headcount-cli-", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the command did not finish within 60 s");
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
