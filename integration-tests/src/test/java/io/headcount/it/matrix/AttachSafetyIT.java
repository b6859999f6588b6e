package io.headcount.it.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.TestJars;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code attach} signals nothing that is not a JVM, and says what the agent really did in the target:
 * started (exit 0), or why not (exit 1).
 */
class AttachSafetyIT {
    @Test
    void aProcessThatIsNotAJvmIsRefusedAndLeftAlive() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            CommandLineIT.Run attach = CommandLineIT.run("attach", String.valueOf(sleep.pid()), "port=0");
            assertEquals(1, attach.exit(), attach.err());
            assertEquals("headcount: process " + sleep.pid() + " is not a running JVM that this user can attach to;"
                    + " nothing was sent to it (attach --list shows the JVMs it can attach to)\n", attach.err());
            assertEquals("", attach.out());
            assertTrue(sleep.isAlive(), "the attach killed a process that is not a JVM");
        } finally {
            sleep.destroy();
        }
    }

    @Test
    void anUnknownSettingIsReportedAndTheExitIsNotZero() throws Exception {
        try (AppProcess app = app("attach-unknown-setting")) {
            CommandLineIT.Run attach = CommandLineIT.run("attach", String.valueOf(app.pid()), "prot=1");
            assertEquals(1, attach.exit(), attach.err());
            String prefix = "headcount: the agent did not start in process " + app.pid()
                    + ": Unknown setting 'prot' with value '1' (agent argument); allowed keys: enabled, host, port, ";
            String suffix = "; did you mean 'port'?; the agent is off and the app runs without it\n";
            assertTrue(attach.err().startsWith(prefix) && attach.err().endsWith(suffix), attach.err());
            assertEquals("", attach.out());
        }
    }

    @Test
    void attachingTwiceSaysTheAgentIsAlreadyRunning() throws Exception {
        try (AppProcess app = app("attach-twice")) {
            CommandLineIT.Run first = CommandLineIT.run("attach", String.valueOf(app.pid()), "port=0");
            assertEquals(0, first.exit(), first.err());
            assertEquals("headcount: agent started in process " + app.pid() + "; its log says where the metrics are\n",
                    first.out());
            CommandLineIT.Run second = CommandLineIT.run("attach", String.valueOf(app.pid()), "port=0");
            assertEquals(1, second.exit(), second.out());
            assertEquals("headcount: the agent is already running in process " + app.pid()
                    + "; this attach changed nothing\n", second.err());
            // A bad setting in a second load is not its error: that load changes nothing either way.
            CommandLineIT.Run third = CommandLineIT.run("attach", String.valueOf(app.pid()), "port=abc");
            assertEquals(1, third.exit(), third.out());
            assertEquals(second.err(), third.err());
            assertEquals(List.of(
                    "INFO Headcount " + AgentLogLines.build() + " attached: in-memory mode, metrics port 0 (a free one,"
                            + " logged when chosen), log level info, settings from agent argument",
                    AgentLogLines.smallHeapLine(500_000),
                    "WARN already running in this JVM; the second load is ignored",
                    "WARN already running in this JVM; the second load is ignored"),
                    AgentLogLines.messages(app).stream().filter(line -> !line.contains("counting requests")).toList(),
                    app.output());
        }
    }

    @Test
    void listShowsTheJvmsItCanAttachTo() throws Exception {
        try (AppProcess app = app("attach-list")) {
            CommandLineIT.Run list = CommandLineIT.run("attach", "--list");
            assertEquals(0, list.exit(), list.err());
            assertTrue(list.out().lines().anyMatch(line -> line.equals(app.pid() + "  " + TestJars.testApp()
                    + " --port 0")), list.out());
        }
    }

    private static AppProcess app(String name) {
        // From JDK 21 on, the flag only keeps the JVM from warning about a dynamically loaded agent;
        // older JVMs do not know it.
        return AppProcess.named(name).jvmArg("-XX:+IgnoreUnrecognizedVMOptions")
                .jvmArg("-XX:+EnableDynamicAgentLoading").start();
    }
}
