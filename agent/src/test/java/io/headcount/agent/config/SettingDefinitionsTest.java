package io.headcount.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingDefinitionsTest {
    private static final Path DOCS = Path.of("../docs/configuration.md");

    @Test
    void environmentVariableIsUpperCaseWithDotsAndDashesAsUnderscores() {
        assertEquals("HEADCOUNT_PORT", SettingDefinitions.PORT.environmentVariable());
        assertEquals("HEADCOUNT_REDIS_URL", SettingDefinitions.REDIS_URL.environmentVariable());
        assertEquals("HEADCOUNT_TRUSTED_PROXIES", SettingDefinitions.TRUSTED_PROXIES.environmentVariable());
        assertEquals("HEADCOUNT_ENDPOINT_MAX", SettingDefinitions.ENDPOINT_MAX.environmentVariable());
        assertEquals("HEADCOUNT_QUEUE_CAPACITY", SettingDefinitions.QUEUE_CAPACITY.environmentVariable());
        assertEquals("HEADCOUNT_CONFIG", SettingDefinitions.CONFIG.environmentVariable());
    }

    @Test
    void systemPropertyIsHeadcountDotKey() {
        assertEquals("headcount.trusted-proxies", SettingDefinitions.TRUSTED_PROXIES.systemProperty());
        assertEquals("headcount.config", SettingDefinitions.CONFIG.systemProperty());
    }

    @Test
    void keysAndEnvironmentNamesAreUnique() {
        Set<String> keys = new HashSet<>();
        Set<String> variables = new HashSet<>();
        for (Setting<?> setting : SettingDefinitions.ALL) {
            assertTrue(keys.add(setting.key()), setting.key());
            assertTrue(variables.add(setting.environmentVariable()), setting.environmentVariable());
        }
        assertTrue(keys.add(SettingDefinitions.CONFIG.key()));
        assertTrue(variables.add(SettingDefinitions.CONFIG.environmentVariable()));
    }

    @Test
    void everySettingConstantIsListedInAllOrIsConfig() throws IllegalAccessException {
        int constants = 0;
        for (Field field : SettingDefinitions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
                Object setting = field.get(null);
                assertTrue(setting == SettingDefinitions.CONFIG || SettingDefinitions.ALL.contains(setting), field.getName());
                constants++;
            }
        }
        assertEquals(SettingDefinitions.ALL.size() + 1, constants);
    }

    @Test
    void everyDefaultIsAValidValue() throws Exception {
        for (Setting<?> setting : SettingDefinitions.ALL) {
            if (setting.defaultText() != null) {
                setting.type().parse(setting.defaultText());
            }
        }
    }

    @Test
    void findKnowsEveryKeyButConfig() {
        assertSame(SettingDefinitions.DAY_ZONE, SettingDefinitions.find("day.zone"));
        assertNull(SettingDefinitions.find("config"));
        assertNull(SettingDefinitions.find("DAY_ZONE"));
    }

    @Test
    void helpTableListsKeyDefaultAndMeaningAligned() {
        assertEquals(String.join("\n",
                "key                                 default                           meaning",
                "enabled                             true                              master switch; false leaves the app untouched",
                "host                                0.0.0.0                           address the metrics endpoint binds",
                "port                                9465                              metrics endpoint port (0 = pick a free one and log it)",
                "redis.url                           (unset)                           Redis that instances share visitors through; unset = in-memory mode",
                "redis.cluster                       false                             redis.url names a node of a Redis Cluster",
                "redis.key-prefix                    headcount                         start of every Redis key; give each app its own",
                "redis.timeout-ms                    1000                              Redis connect timeout, and how late a reply may be before Redis counts as down (ms)",
                "redis.tls.ca-file                   (unset)                           PEM file of the CA certificates a rediss:// server's certificate must chain to (private CAs)",
                "redis.hold.max-visits               50000                             visits held while the day's shared salt is on its way; past it they are counted alone",
                "redis.hold.max-ms                   30000                             how long visits are held for the day's shared salt before they are counted alone",
                "redis.backlog.max                   100000                            new visitor fingerprints kept while Redis is away; past it they are counted alone",
                "trusted-proxies                     10.0.0.0/8,192.168.0.0/16,        CIDRs whose forwarding header is believed (loopback, private, link-local)",
                "                                    169.254.0.0/16,127.0.0.0/8,",
                "                                    100.64.0.0/10,172.16.0.0/12,::1,",
                "                                    fc00::/7,fe80::/10",
                "forwarded-header                    X-Forwarded-For                   the one header whose proxy chain is read; the other is ignored",
                "endpoint.max                        200                               distinct endpoint label values before new ones become other",
                "referrer.max                        100                               distinct external referrer domains before new ones become other",
                "clients                             (unset)                           named client rules name:regex separated by ; (a group in the regex captures the version)",
                "exclude.paths                       /health*,/metrics*,/favicon.ico   path globs not counted at all",
                "exclude.ips                         (unset)                           CIDRs of client addresses (as resolved through trusted-proxies) not counted at all",
                "exclude.user-agents                 kube-probe/,ELB-HealthChecker/,   User-Agent prefixes (health checkers, metric scrapers) not counted at all; empty = none",
                "                                    GoogleHC/,Consul Health Check,",
                "                                    Amazon-Route53-Health-Check,",
                "                                    Azure Traffic Manager,AlwaysOn,",
                "                                    Envoy/HC,Blackbox Exporter/,",
                "                                    Prometheus/,vm_promscrape,",
                "                                    GrafanaAgent/",
                "day.zone                            UTC                               time zone whose midnight starts a new visitor day",
                "visitors.max                        1000000                           visitors remembered per visitor day in memory; later ones that day are not counted as visitors",
                "visitors.mode                       exact                             Redis mode: exact (a set member per visitor) or approximate (HyperLogLogs, about 12 KB a key, error about 1%)",
                "respect-gpc                         true                              a request with Sec-GPC: 1 is counted, its visitor never hashed or kept",
                "respect-dnt                         true                              a request with DNT: 1 is counted, its visitor never hashed or kept",
                "auth.cookie                         (unset)                           cookie whose presence marks a signed-in request (only its presence is read); unset = none",
                "queue.capacity                      8192                              requests waiting for the worker before new ones are dropped and counted",
                "log.level                           info                              the agent's log lines on standard error; debug adds its libraries' (Redis client) lines",
                "metrics.username                    (unset)                           user name the metrics endpoint asks for (HTTP basic); unset = no authentication",
                "metrics.password-file               (unset)                           file holding the metrics password (one line); or use metrics.password-env",
                "metrics.password-env                (unset)                           name of the environment variable holding the metrics password",
                "metrics.tls.keystore                (unset)                           PKCS#12 keystore with the endpoint's key and certificate; set = serve HTTPS only",
                "metrics.tls.keystore-password-file  (unset)                           file holding the keystore password (one line); or use metrics.tls.keystore-password-env",
                "metrics.tls.keystore-password-env   (unset)                           name of the environment variable holding the keystore password",
                "diagnostic.advice                   record                            diagnostic: noop = the woven advice returns at once, reads nothing and offers nothing",
                "diagnostic.headers                  all                               diagnostic: user-agent = the advice reads no header but User-Agent (no referrer, no proxy chain);"
                        + " servlet-api = every header through getHeader, none in one pass over Tomcat's",
                "diagnostic.weave                    all                               diagnostic: servlets = classes with doFilter but no service method (filters) are not woven",
                "diagnostic.worker                   record                            diagnostic: discard = the worker takes events off the queue and drops them unprocessed",
                "config                              (unset)                           properties file with more settings (plain keys such as port=9465)",
                ""), SettingDefinitions.helpTable());
    }

    @Test
    void docsHaveARowForEveryKeyWithItsDefaultAndEnvironmentVariable() throws IOException {
        List<String> lines = Files.readAllLines(DOCS, StandardCharsets.UTF_8);
        List<Setting<?>> settings = new java.util.ArrayList<>(SettingDefinitions.ALL);
        settings.add(SettingDefinitions.CONFIG);
        for (Setting<?> setting : settings) {
            String shownDefault = setting.defaultText() == null ? "unset" : "`" + setting.defaultText() + "`";
            String row = "| `" + setting.key() + "` | " + shownDefault + " |";
            assertTrue(lines.stream().anyMatch(line -> line.startsWith(row)), "docs/configuration.md lacks a row starting " + row);
            String names = "| `" + setting.key() + "` | `" + setting.systemProperty() + "` | `"
                    + setting.environmentVariable() + "` |";
            assertTrue(lines.contains(names), "docs/configuration.md lacks the names row " + names);
        }
    }
}
