package io.headcount.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Settings the agent cannot use: it says so in one line naming the key, stays off, and the app runs
 * as if it were not there. Each app also gets a valid {@code -Dheadcount.port}, lower in precedence
 * than the agent argument, so that "stays off" can be seen as nothing listening on that port.
 */
class InvalidSettingsIT {
    private static final Duration LOG_LIMIT = Duration.ofSeconds(10);

    private static int badValuePort;
    private static int unknownKeyPort;
    private static AppProcess badValue;
    private static AppProcess unknownKey;
    /** Issue 10 finding 7: values that used to be accepted and fail later. */
    private static AppProcess unresolvableHost;
    private static AppProcess badRedisPort;

    @BeforeAll
    static void startBothApps() {
        badValuePort = FreePorts.pick();
        unknownKeyPort = FreePorts.pick();
        // Launched together and awaited after, so the two start-ups overlap.
        badValue = AppProcess.named("bad-setting-value")
                .agent("port=notaport")
                .jvmArg("-Dheadcount.port=" + badValuePort)
                .launch();
        unknownKey = AppProcess.named("unknown-setting")
                .agent("prot=1")
                .jvmArg("-Dheadcount.port=" + unknownKeyPort)
                .launch();
        unresolvableHost = AppProcess.named("unresolvable-host").agent("host=nonexistent.invalid").launch();
        badRedisPort = AppProcess.named("bad-redis-port").agent(null)
                .jvmArg("-Dheadcount.redis.url=redis://127.0.0.1:notaport").launch();
        badValue.awaitReady();
        unknownKey.awaitReady();
        unresolvableHost.awaitReady();
        badRedisPort.awaitReady();
    }

    @AfterAll
    static void stopApps() {
        for (AppProcess app : new AppProcess[] {badValue, unknownKey, unresolvableHost, badRedisPort}) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void appServesNormallyWhenASettingHasABadValue() {
        assertServesUsers(badValue);
    }

    @Test
    void badValueIsReportedInOneLineNamingTheKeyAndTheValue() {
        assertNotNull(badValue.awaitStderr(line -> line.contains("notaport"), LOG_LIMIT), badValue.output());
        assertEquals(1, linesMentioning(badValue, "port").size(), badValue.output());
    }

    @Test
    void agentStaysOffWhenASettingHasABadValue() {
        assertNotNull(badValue.awaitStderr(line -> line.contains("notaport"), LOG_LIMIT), badValue.output());
        assertServesUsers(badValue);
        assertFalse(FreePorts.isListening(badValuePort), "the agent serves metrics despite a bad setting");
    }

    @Test
    void appServesNormallyWhenASettingIsUnknown() {
        assertServesUsers(unknownKey);
    }

    @Test
    void unknownKeyIsReportedInOneLineWithTheKeyItResembles() {
        String line = unknownKey.awaitStderr(l -> l.contains("prot"), LOG_LIMIT);
        assertNotNull(line, unknownKey.output());
        assertEquals(1, linesMentioning(unknownKey, "prot").size(), unknownKey.output());
        assertTrue(line.replace("prot", "").contains("port"), "no 'did you mean port' in: " + line);
    }

    @Test
    void agentStaysOffWhenASettingIsUnknown() {
        assertNotNull(unknownKey.awaitStderr(l -> l.contains("prot"), LOG_LIMIT), unknownKey.output());
        assertServesUsers(unknownKey);
        assertFalse(FreePorts.isListening(unknownKeyPort), "the agent serves metrics despite an unknown setting");
    }

    @Test
    void hostThatDoesNotResolveIsOneLineAtStart() {
        assertEquals("Invalid value 'nonexistent.invalid' for setting 'host' (agent argument): no address of that name"
                        + " was found; allowed: an IP address or host name such as 0.0.0.0, 127.0.0.1 or ::;"
                        + " the agent is off and the app runs without it",
                onlyAgentLine(unresolvableHost));
        assertServesUsers(unresolvableHost);
    }

    @Test
    void redisUrlWithABadPortIsOneLineAtStart() {
        assertEquals("Invalid value 'redis://127.0.0.1:notaport' for setting 'redis.url' (system property"
                        + " headcount.redis.url): the port 'notaport' is not a number from 1 to 65535; allowed: a URI"
                        + " starting with redis://, rediss:// or redis-sentinel://, or empty for in-memory mode;"
                        + " the agent is off and the app runs without it",
                onlyAgentLine(badRedisPort));
        assertServesUsers(badRedisPort);
    }

    /** The one line the agent logged, after its level and prefix. */
    private static String onlyAgentLine(AppProcess app) {
        assertNotNull(app.awaitStderr(line -> line.contains("[headcount]"), LOG_LIMIT), app.output());
        List<String> lines = linesMentioning(app, "[headcount]");
        assertEquals(1, lines.size(), app.output());
        return lines.get(0).substring(lines.get(0).indexOf("[headcount] ") + "[headcount] ".length());
    }

    private static void assertServesUsers(AppProcess app) {
        HttpResponse<String> response = new Http().get(app.url("/api/users")).send();
        assertEquals(200, response.statusCode(), app.output());
        assertTrue(response.body().startsWith("[{\"id\":1,"), response.body());
    }

    private static List<String> linesMentioning(AppProcess app, String text) {
        return app.stderrLines().stream().filter(line -> line.contains(text)).collect(Collectors.toList());
    }
}
