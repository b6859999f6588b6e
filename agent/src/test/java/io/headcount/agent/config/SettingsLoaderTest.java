package io.headcount.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.headcount.agent.net.ForwardedHeader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
    @TempDir
    Path dir;

    private static Settings load(String args, Map<String, String> properties, Map<String, String> env)
            throws InvalidSettingsException {
        return SettingsLoader.load(args, properties, env);
    }

    private Path file(String content) throws IOException {
        Path file = dir.resolve("headcount.properties");
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    @Test
    void noSourcesGiveTheContractDefaults() throws Exception {
        Settings settings = load(null, Map.of(), Map.of());

        assertTrue(settings.get(SettingDefinitions.ENABLED));
        assertEquals("0.0.0.0", settings.get(SettingDefinitions.HOST));
        assertEquals(9465, settings.get(SettingDefinitions.PORT));
        assertNull(settings.get(SettingDefinitions.REDIS_URL));
        assertEquals("[10.0.0.0/8, 192.168.0.0/16, 169.254.0.0/16, 127.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12, "
                + "::1/128, fc00::/7, fe80::/10]", settings.get(SettingDefinitions.TRUSTED_PROXIES).toString());
        assertTrue(settings.get(SettingDefinitions.TRUSTED_PROXIES).get(3).contains(new byte[] {127, 1, 2, 3}));
        assertTrue(settings.get(SettingDefinitions.TRUSTED_PROXIES).get(6).contains(loopback6()));
        assertEquals(ForwardedHeader.X_FORWARDED_FOR, settings.get(SettingDefinitions.FORWARDED_HEADER));
        assertEquals(200, settings.get(SettingDefinitions.ENDPOINT_MAX));
        assertEquals(100, settings.get(SettingDefinitions.REFERRER_MAX));
        assertEquals(List.of("/health*", "/metrics*", "/favicon.ico"), settings.get(SettingDefinitions.EXCLUDE_PATHS));
        assertEquals(ZoneId.of("UTC"), settings.get(SettingDefinitions.DAY_ZONE));
        assertEquals(1_000_000, settings.get(SettingDefinitions.VISITORS_MAX));
        assertEquals(8192, settings.get(SettingDefinitions.QUEUE_CAPACITY));
    }

    @Test
    void forwardedHeaderInAnyCaseIsShownInItsOwn() throws Exception {
        Settings settings = load("forwarded-header=forwarded", Map.of(), Map.of());
        assertEquals(ForwardedHeader.FORWARDED, settings.get(SettingDefinitions.FORWARDED_HEADER));
        assertEquals("Forwarded", textOf(settings, "forwarded-header"));
        assertEquals(ForwardedHeader.X_FORWARDED_FOR,
                load(null, Map.of(), Map.of("HEADCOUNT_FORWARDED_HEADER", "x-forwarded-FOR")).get(SettingDefinitions.FORWARDED_HEADER));
    }

    @Test
    void explicitTrustedProxiesReplaceTheDefault() throws Exception {
        Settings settings = load(null, Map.of("headcount.trusted-proxies", "203.0.113.10"), Map.of());
        assertEquals("[203.0.113.10/32]", settings.get(SettingDefinitions.TRUSTED_PROXIES).toString());
    }

    @Test
    void blankAgentArgumentIsNoArgument() throws Exception {
        assertEquals(load(null, Map.of(), Map.of()).toString(), load("  ", Map.of(), Map.of()).toString());
        assertEquals(load(null, Map.of(), Map.of()).toString(), load("", Map.of(), Map.of()).toString());
    }

    @Test
    void toStringListsEverySettingInDefinitionOrder() throws Exception {
        assertEquals("Settings{enabled=true, host=0.0.0.0, port=9465, redis.url=(unset), "
                        + "redis.cluster=false, redis.key-prefix=headcount, redis.timeout-ms=1000, redis.tls.ca-file=(unset), "
                        + "redis.hold.max-visits=50000, redis.hold.max-ms=30000, redis.backlog.max=100000, "
                        + "trusted-proxies=10.0.0.0/8,192.168.0.0/16,169.254.0.0/16,127.0.0.0/8,100.64.0.0/10,"
                        + "172.16.0.0/12,::1,fc00::/7,fe80::/10, forwarded-header=X-Forwarded-For, "
                        + "endpoint.max=200, referrer.max=100, clients=(unset), "
                        + "exclude.paths=/health*,/metrics*,/favicon.ico, exclude.ips=(unset), "
                        + "exclude.user-agents=kube-probe/,ELB-HealthChecker/,GoogleHC/,Consul Health Check,"
                        + "Amazon-Route53-Health-Check,Azure Traffic Manager,AlwaysOn,Envoy/HC,Blackbox Exporter/,"
                        + "Prometheus/,vm_promscrape,GrafanaAgent/, day.zone=UTC, visitors.max=1000000, "
                        + "visitors.mode=exact, respect-gpc=true, respect-dnt=true, auth.cookie=(unset), queue.capacity=8192, log.level=info, metrics.username=(unset), metrics.password-file=(unset), metrics.password-env=(unset), metrics.tls.keystore=(unset), metrics.tls.keystore-password-file=(unset), metrics.tls.keystore-password-env=(unset), "
                        + "diagnostic.advice=record, diagnostic.headers=all, diagnostic.weave=all, diagnostic.worker=record}",
                load(null, Map.of(), Map.of()).toString());
    }

    @Test
    void agentArgumentBeatsSystemPropertyBeatsEnvironmentBeatsFile() throws Exception {
        Path file = file("port=4\nhost=127.0.0.4\nendpoint.max=44\nreferrer.max=444\n");
        Map<String, String> properties = Map.of("headcount.port", "2", "headcount.host", "127.0.0.2",
                "headcount.endpoint.max", "22", "headcount.config", file.toString());
        Map<String, String> env = Map.of("HEADCOUNT_PORT", "3", "HEADCOUNT_HOST", "127.0.0.3",
                "HEADCOUNT_ENDPOINT_MAX", "33", "HEADCOUNT_REFERRER_MAX", "333");

        Settings settings = load("port=1", properties, env);

        assertEquals(1, settings.get(SettingDefinitions.PORT));
        assertEquals("127.0.0.2", settings.get(SettingDefinitions.HOST));
        assertEquals(22, settings.get(SettingDefinitions.ENDPOINT_MAX));
        assertEquals(333, settings.get(SettingDefinitions.REFERRER_MAX));
    }

    @Test
    void fileIsReadWhenNothingHigherSetsTheKey() throws Exception {
        Path file = file("# comment\nport = 9500\nexclude.paths=/internal/*, /ping\nday.zone=Europe/Berlin\n"
                + "redis.url=redis://:s3cret@redis.example:6379/0\nenabled=FALSE\n");

        Settings settings = load(null, Map.of("headcount.config", file.toString()), Map.of());

        assertEquals(9500, settings.get(SettingDefinitions.PORT));
        assertEquals(List.of("/internal/*", "/ping"), settings.get(SettingDefinitions.EXCLUDE_PATHS));
        assertEquals(ZoneId.of("Europe/Berlin"), settings.get(SettingDefinitions.DAY_ZONE));
        assertEquals("redis://:s3cret@redis.example:6379/0", settings.get(SettingDefinitions.REDIS_URL));
        assertFalse(settings.get(SettingDefinitions.ENABLED));
    }

    @Test
    void fileIsNamedByAgentArgumentBeforeSystemPropertyBeforeEnvironment() throws Exception {
        Path one = dir.resolve("one.properties");
        Path two = dir.resolve("two.properties");
        Path three = dir.resolve("three.properties");
        Files.writeString(one, "port=1");
        Files.writeString(two, "port=2");
        Files.writeString(three, "port=3");
        Map<String, String> properties = Map.of("headcount.config", two.toString());
        Map<String, String> env = Map.of("HEADCOUNT_CONFIG", three.toString());

        assertEquals(1, load("config=" + one, properties, env).get(SettingDefinitions.PORT));
        assertEquals(2, load(null, properties, env).get(SettingDefinitions.PORT));
        assertEquals(3, load(null, Map.of(), env).get(SettingDefinitions.PORT));
    }

    @Test
    void emptyConfigMeansNoFile() throws Exception {
        Map<String, String> env = Map.of("HEADCOUNT_CONFIG", dir.resolve("missing.properties").toString());

        assertEquals(9465, load(null, Map.of("headcount.config", ""), env).get(SettingDefinitions.PORT));
    }

    @Test
    void environmentReadsOnlyKnownNamesAndIgnoresOtherHeadcountVariables() throws Exception {
        Map<String, String> env = Map.of("HEADCOUNT_TEST_JDKS", "/opt/jdk17,/opt/jdk25",
                "HEADCOUNT_PROT", "nonsense", "HEADCOUNT_TRUSTED_PROXIES", "",
                "HEADCOUNT_EXCLUDE_PATHS", "/a*", "HEADCOUNT_VISITORS_MAX", "5000",
                "HEADCOUNT_QUEUE_CAPACITY", "100", "HEADCOUNT_DAY_ZONE", "+02:00",
                "HEADCOUNT_REDIS_URL", "rediss://redis.example:6380", "HEADCOUNT_ENABLED", "true");

        Settings settings = load(null, Map.of(), env);

        assertEquals(List.of(), settings.get(SettingDefinitions.TRUSTED_PROXIES));
        assertEquals(List.of("/a*"), settings.get(SettingDefinitions.EXCLUDE_PATHS));
        assertEquals(5000, settings.get(SettingDefinitions.VISITORS_MAX));
        assertEquals(128, settings.get(SettingDefinitions.QUEUE_CAPACITY));
        assertEquals(ZoneId.of("+02:00"), settings.get(SettingDefinitions.DAY_ZONE));
        assertEquals("rediss://redis.example:6380", settings.get(SettingDefinitions.REDIS_URL));
        assertTrue(settings.get(SettingDefinitions.ENABLED));
    }

    @Test
    void otherSystemPropertiesAreIgnored() throws Exception {
        Settings settings = load(null, Map.of("java.version", "17", "headcountx.port", "1", "user.dir", "/tmp"), Map.of());

        assertEquals(9465, settings.get(SettingDefinitions.PORT));
    }

    @Test
    void valuesAreTrimmedInEverySource() throws Exception {
        assertEquals(9000, load(" port = 9000 ", Map.of(), Map.of()).get(SettingDefinitions.PORT));
        assertEquals(9001, load(null, Map.of("headcount.port", " 9001\t"), Map.of()).get(SettingDefinitions.PORT));
        assertEquals(9002, load(null, Map.of(), Map.of("HEADCOUNT_PORT", "9002 ")).get(SettingDefinitions.PORT));
    }

    @Test
    void commaPiecesWithoutKeyContinueTheListValue() throws Exception {
        Settings settings = load("trusted-proxies=10.0.0.0/8,192.168.0.0/16,port=9000,exclude.paths=/health*,/internal/*",
                Map.of(), Map.of());

        assertEquals(2, settings.get(SettingDefinitions.TRUSTED_PROXIES).size());
        assertTrue(settings.get(SettingDefinitions.TRUSTED_PROXIES).get(1).contains(new byte[] {(byte) 192, (byte) 168, 5, 5}));
        assertEquals(9000, settings.get(SettingDefinitions.PORT));
        assertEquals(List.of("/health*", "/internal/*"), settings.get(SettingDefinitions.EXCLUDE_PATHS));
    }

    @Test
    void redisSentinelUriKeepsItsHostListAndQueryInTheAgentArgument() throws Exception {
        Settings settings = load("redis.url=redis-sentinel://:pw@s1:26379,s2:26379/0?sentinelMasterId=main&timeout=5s,port=9100",
                Map.of(), Map.of());

        assertEquals("redis-sentinel://:pw@s1:26379,s2:26379/0?sentinelMasterId=main&timeout=5s", settings.get(SettingDefinitions.REDIS_URL));
        assertEquals(9100, settings.get(SettingDefinitions.PORT));
    }

    @Test
    void emptyListsAreAllowed() throws Exception {
        Settings settings = load("trusted-proxies=,exclude.paths=", Map.of(), Map.of());

        assertEquals(List.of(), settings.get(SettingDefinitions.TRUSTED_PROXIES));
        assertEquals(List.of(), settings.get(SettingDefinitions.EXCLUDE_PATHS));
        assertEquals("", textOf(settings, "trusted-proxies"));
    }

    @Test
    void listItemsAreTrimmedAndEmptyItemsSkipped() throws Exception {
        Settings settings = load(null, Map.of("headcount.exclude.paths", " /a* , ,/b ,"), Map.of());

        assertEquals(List.of("/a*", "/b"), settings.get(SettingDefinitions.EXCLUDE_PATHS));
    }

    @Test
    void emptyRedisUrlMeansInMemoryEvenWhenALowerSourceSetsOne() throws Exception {
        Settings settings = load(null, Map.of("headcount.redis.url", ""),
                Map.of("HEADCOUNT_REDIS_URL", "redis://redis.example"));

        assertNull(settings.get(SettingDefinitions.REDIS_URL));
    }

    @Test
    void booleansIgnoreCase() throws Exception {
        assertFalse(load("enabled=False", Map.of(), Map.of()).get(SettingDefinitions.ENABLED));
        assertTrue(load("enabled=TRUE", Map.of(), Map.of()).get(SettingDefinitions.ENABLED));
    }

    @Test
    void integerRangesIncludeTheirBounds() throws Exception {
        assertEquals(0, load("port=0", Map.of(), Map.of()).get(SettingDefinitions.PORT));
        assertEquals(65535, load("port=65535", Map.of(), Map.of()).get(SettingDefinitions.PORT));
        assertEquals(1, load("endpoint.max=1,referrer.max=1", Map.of(), Map.of()).get(SettingDefinitions.ENDPOINT_MAX));
        assertEquals(100_000, load("endpoint.max=100000,referrer.max=100000", Map.of(), Map.of()).get(SettingDefinitions.REFERRER_MAX));
        assertEquals(1000, load("visitors.max=1000", Map.of(), Map.of()).get(SettingDefinitions.VISITORS_MAX));
        assertEquals(100_000_000, load("visitors.max=100000000", Map.of(), Map.of()).get(SettingDefinitions.VISITORS_MAX));
        assertEquals(9465, load("port=09465", Map.of(), Map.of()).get(SettingDefinitions.PORT));
    }

    @Test
    void queueCapacityIsRoundedUpToAPowerOfTwo() throws Exception {
        assertEquals(16, load("queue.capacity=16", Map.of(), Map.of()).get(SettingDefinitions.QUEUE_CAPACITY));
        assertEquals(32, load("queue.capacity=17", Map.of(), Map.of()).get(SettingDefinitions.QUEUE_CAPACITY));
        assertEquals(1024, load("queue.capacity=1000", Map.of(), Map.of()).get(SettingDefinitions.QUEUE_CAPACITY));
        assertEquals(1_048_576, load("queue.capacity=1000000", Map.of(), Map.of()).get(SettingDefinitions.QUEUE_CAPACITY));
        assertEquals(1_048_576, load("queue.capacity=1048576", Map.of(), Map.of()).get(SettingDefinitions.QUEUE_CAPACITY));
        assertEquals("1024", textOf(load("queue.capacity=1000", Map.of(), Map.of()), "queue.capacity"));
    }

    @Test
    void hostAcceptsNamesAndIpLiterals() throws Exception {
        assertEquals("::", load("host=::", Map.of(), Map.of()).get(SettingDefinitions.HOST));
        assertEquals("[::1]", load("host=[::1]", Map.of(), Map.of()).get(SettingDefinitions.HOST));
        // A name is looked up when read (it must resolve); localhost does on every machine.
        assertEquals("localhost", load("host=localhost", Map.of(), Map.of()).get(SettingDefinitions.HOST));
        assertEquals("0.0.0.0", load("host=0.0.0.0", Map.of(), Map.of()).get(SettingDefinitions.HOST));
    }

    @Test
    void getReadsAnySettingByDefinition() throws Exception {
        Settings settings = load("referrer.max=7", Map.of(), Map.of());

        assertEquals(7, settings.get(SettingDefinitions.REFERRER_MAX));
        assertEquals(Boolean.TRUE, settings.get(SettingDefinitions.ENABLED));
    }

    @Test
    void toStringMasksTheRedisPassword() throws Exception {
        Settings settings = load("redis.url=redis://app:s3cret@redis.example:6379/2", Map.of(), Map.of());

        assertEquals("redis://app:***@redis.example:6379/2", textOf(settings, "redis.url"));
        assertFalse(settings.toString().contains("s3cret"));
    }

    @Test
    void loadFromThisJvmReadsItsSystemProperties() throws Exception {
        System.setProperty("headcount.referrer.max", "42");
        try {
            assertEquals(42, SettingsLoader.load("port=9999").get(SettingDefinitions.REFERRER_MAX));
        } finally {
            System.clearProperty("headcount.referrer.max");
        }
    }

    @Test
    void eachValueKnowsWhereItCameFromAsTheOperatorWouldSetItAgain() throws Exception {
        Path file = file("referrer.max=7\n");
        Settings settings = load("port=9500", Map.of("headcount.host", "127.0.0.1", "headcount.config", file.toString()),
                Map.of("HEADCOUNT_DAY_ZONE", "UTC"));

        assertEquals("agent argument port=", settings.source(SettingDefinitions.PORT));
        assertEquals("system property headcount.host", settings.source(SettingDefinitions.HOST));
        assertEquals("environment variable HEADCOUNT_DAY_ZONE", settings.source(SettingDefinitions.DAY_ZONE));
        assertEquals("file " + file + " (referrer.max=)", settings.source(SettingDefinitions.REFERRER_MAX));
        assertEquals("default", settings.source(SettingDefinitions.ENDPOINT_MAX));
        assertEquals("agent argument, system properties, environment, file " + file, settings.sourcesSummary());
        assertEquals("defaults only", load(null, Map.of(), Map.of()).sourcesSummary());
        assertEquals("environment", load(null, Map.of(), Map.of("HEADCOUNT_PORT", "1")).sourcesSummary());
    }

    @Test
    void switchedOffTheAgentReadsNoOtherSettingSoABadOneIsNoError() throws Exception {
        Settings off = load("enabled=false,port=abc", Map.of("headcount.prot", "1"), Map.of());

        assertFalse(off.get(SettingDefinitions.ENABLED));
        assertEquals("agent argument enabled=", off.source(SettingDefinitions.ENABLED));
        assertEquals("Settings{enabled=false}", off.toString());
        Settings offByEnvironment = load("port=abc", Map.of(), Map.of("HEADCOUNT_ENABLED", "FALSE"));
        assertEquals("environment variable HEADCOUNT_ENABLED", offByEnvironment.source(SettingDefinitions.ENABLED));
        Path file = file("enabled=false\nport=abc\n");
        assertFalse(load(null, Map.of("headcount.config", file.toString()), Map.of()).get(SettingDefinitions.ENABLED));
    }

    @Test
    void aBadSettingStillFailsWhenTheAgentIsOn() {
        assertThrows(InvalidSettingsException.class, () -> load("enabled=true,port=abc", Map.of(), Map.of()));
        assertThrows(InvalidSettingsException.class, () -> load("enabled=nope,port=abc", Map.of(), Map.of()));
    }

    @Test
    void logLevelIsOneOfFiveWordsInAnyCase() throws Exception {
        assertEquals("info", load(null, Map.of(), Map.of()).get(SettingDefinitions.LOG_LEVEL));
        assertEquals("debug", load("log.level=DEBUG", Map.of(), Map.of()).get(SettingDefinitions.LOG_LEVEL));
        assertEquals("off", load(null, Map.of("headcount.log.level", "off"), Map.of()).get(SettingDefinitions.LOG_LEVEL));
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> load("log.level=verbose", Map.of(), Map.of()));
        assertEquals("Invalid value 'verbose' for setting 'log.level' (agent argument); "
                + "allowed: one of off, error, warn, info, debug", e.getMessage());
    }

    /** The value as Settings.toString() shows it. */
    static String textOf(Settings settings, String key) {
        String all = settings.toString();
        String body = all.substring("Settings{".length(), all.length() - 1);
        for (String part : body.split(", ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new AssertionError(key + " not in " + all);
    }

    private static byte[] loopback6() {
        byte[] address = new byte[16];
        address[15] = 1;
        return address;
    }
}
