package io.headcount.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.config.Settings;
import io.headcount.agent.config.SettingsLoader;
import io.headcount.agent.log.AgentLog;
import io.headcount.agent.log.LibraryLogger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lines the agent and its command line print, word for word. */
class AgentMessagesTest {
    private static Settings load(String args, Map<String, String> properties, Map<String, String> env)
            throws Exception {
        return SettingsLoader.load(args, properties, env);
    }

    @Test
    void startLineSaysVersionModePortLevelAndSources() throws Exception {
        BuildInfo build = new BuildInfo("1.2.3", "4f3c2a1");
        assertEquals("Headcount 1.2.3 (revision 4f3c2a1) loaded: in-memory mode, metrics port 9465, log level info,"
                + " settings from defaults only", Agent.startLine(load(null, Map.of(), Map.of()), false, build));
        assertEquals("Headcount 1.2.3 (revision 4f3c2a1) attached: Redis mode (redis://:***@redis.example:6379), metrics port"
                        + " 0 (a free one, logged when chosen), log level warn, settings from agent argument, environment",
                Agent.startLine(load("port=0,log.level=warn", Map.of(),
                        Map.of("HEADCOUNT_REDIS_URL", "redis://:s3cret@redis.example:6379")), true, build));
    }

    @Test
    void aBusyPortNamesWhereThePortCameFrom() throws Exception {
        assertEquals("the port comes from the agent argument port=: choose another there",
                AgentRuntime.whereToChangePort(load("port=9500", Map.of(), Map.of())));
        assertEquals("the port comes from the system property headcount.port: choose another there",
                AgentRuntime.whereToChangePort(load(null, Map.of("headcount.port", "9500"), Map.of())));
        assertEquals("the port comes from the environment variable HEADCOUNT_PORT: choose another there",
                AgentRuntime.whereToChangePort(load(null, Map.of(), Map.of("HEADCOUNT_PORT", "9500"))));
        assertEquals("the port is the default 9465: choose another with the agent argument port=, the system"
                        + " property headcount.port or the environment variable HEADCOUNT_PORT",
                AgentRuntime.whereToChangePort(load(null, Map.of(), Map.of())));
    }

    @Test
    void anAddressThatIsNotThisMachinesNamesWhereTheHostCameFrom() throws Exception {
        java.io.IOException notHere = new java.net.BindException("Cannot assign requested address");
        assertEquals("the host 192.0.2.1 is no address of this machine; it comes from the system property"
                        + " headcount.host: choose another there",
                AgentRuntime.whereToChange(load(null, Map.of("headcount.host", "192.0.2.1"), Map.of()), notHere));
        assertEquals("the port comes from the agent argument port=: choose another there",
                AgentRuntime.whereToChange(load("port=9500", Map.of(), Map.of()),
                        new java.net.BindException("Address already in use")));
    }

    @Test
    void anIpv6HostIsWrittenInBrackets() {
        assertEquals("[::1]:9465", AgentRuntime.hostAndPort("::1", 9465));
        assertEquals("[::]:0", AgentRuntime.hostAndPort("::", 0));
        assertEquals("127.0.0.1:9465", AgentRuntime.hostAndPort("127.0.0.1", 9465));
    }

    @Test
    void aMissingJdkModuleIsNamed() {
        assertEquals("this Java runtime has no jdk.httpserver module (com.sun.net.httpserver.HttpServer is missing);"
                        + " use a full JDK or add the module: jlink --add-modules jdk.httpserver",
                MissingModule.describe(new NoClassDefFoundError("com/sun/net/httpserver/HttpServer")));
        assertEquals("jdk.attach", MissingModule.module(
                new IllegalStateException(new ClassNotFoundException("com.sun.tools.attach.VirtualMachine"))));
        assertNull(MissingModule.module(new NoClassDefFoundError("org/example/Missing")));
        assertEquals("java.lang.NoClassDefFoundError: org/example/Missing",
                MissingModule.describe(new NoClassDefFoundError("org/example/Missing")));
    }

    @Test
    void logLevelsLetThroughTheirOwnAndQuieterLinesOnly() {
        try {
            AgentLog.setLevel(AgentLog.Level.WARN);
            assertTrue(AgentLog.isEnabled(AgentLog.Level.ERROR));
            assertTrue(AgentLog.isEnabled(AgentLog.Level.WARN));
            assertFalse(AgentLog.isEnabled(AgentLog.Level.INFO));
            AgentLog.setLevel(AgentLog.Level.OFF);
            assertFalse(AgentLog.isEnabled(AgentLog.Level.ERROR));
            assertFalse(AgentLog.isEnabled(AgentLog.Level.OFF));
            AgentLog.setLevel(AgentLog.Level.DEBUG);
            assertTrue(AgentLog.isEnabled(AgentLog.Level.DEBUG));
            assertFalse(new LibraryLogger("io.lettuce.core.protocol.ConnectionWatchdog").isDebugEnabled());
            assertTrue(new LibraryLogger("io.lettuce.core.protocol.ConnectionWatchdog").isWarnEnabled());
        } finally {
            AgentLog.setLevel(AgentLog.Level.INFO);
        }
        assertFalse(new LibraryLogger("io.netty.Any").isErrorEnabled(), "libraries are silent below debug");
    }

    @Test
    void buildInfoFallsBackToUnknown() {
        assertEquals("unknown (revision unknown)", new BuildInfo(null, "${headcount.revision}").toString());
        assertEquals("0.1.0 (revision abc)", new BuildInfo("0.1.0", " abc ").toString());
    }

    @Test
    void attachReportsTheAgentsOwnOutcome() {
        assertReport(0, "headcount: agent started in process 42; its log says where the metrics are\n", "",
                AgentState.STARTED);
        assertReport(1, "", "headcount: the agent is already running in process 42; this attach changed nothing\n",
                AgentState.ALREADY_RUNNING);
        assertReport(1, "", "headcount: the agent did not start in process 42: Unknown setting 'prot'\n",
                AgentState.OFF + " Unknown setting 'prot'");
        assertReport(1, "", "headcount: the agent was loaded into process 42 but reported no outcome (an older"
                + " agent?); see the process's standard error\n", null);
    }

    private static void assertReport(int exit, String out, String err, String state) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int status = Attacher.report("42", state, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        assertEquals(out, outBytes.toString(StandardCharsets.UTF_8));
        assertEquals(err, errBytes.toString(StandardCharsets.UTF_8));
        assertEquals(exit, status);
    }
}
