package io.headcount.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.headcount.agent.classify.ClientRules;
import io.headcount.agent.net.Cidr;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 16: the clients, exclude.ips and exclude.user-agents settings. */
class ClientAndExclusionSettingsTest {
    private static final String CLIENTS_ALLOWED = "allowed: rules name:regex separated by ';' (at most 20; a name of 1 to 32"
            + " letters, digits, '.', '_' or '-', not browser, script, bot, unknown or other, each once, optionally"
            + " followed by +automated; a Java regex of at most 500 characters with at most one capturing group,"
            + " the version), or empty for none";

    private static Settings load(String args) throws InvalidSettingsException {
        return SettingsLoader.load(args, Map.of(), Map.of());
    }

    private static String error(String args, Map<String, String> env) {
        String message = assertThrows(InvalidSettingsException.class, () -> SettingsLoader.load(args, Map.of(), env))
                .getMessage();
        assertFalse(message.contains("\n"), message);
        return message;
    }

    @Test
    void theContractsClientRuleSurvivesTheAgentArgumentsCommas() throws Exception {
        Settings settings = load("clients=kci-dev:^kci-dev/(\\d{1,3}\\.\\d+\\.\\d+);ci+automated:^ci/(\\d+\\.\\d+),port=9000");
        ClientRules rules = settings.get(SettingDefinitions.CLIENTS);
        assertEquals("kci-dev:^kci-dev/(\\d{1,3}\\.\\d+\\.\\d+);ci+automated:^ci/(\\d+\\.\\d+)", rules.toString());
        assertEquals(9000, settings.get(SettingDefinitions.PORT));
        assertNull(load("clients=").get(SettingDefinitions.CLIENTS));
        assertNull(load(null).get(SettingDefinitions.CLIENTS));
    }

    @Test
    void aBadRuleIsOneLineNamingKeyValueSourceRuleAndWhatIsAllowed() {
        assertEquals("Invalid value 'kci-dev:^kci-dev/(\\d+' for setting 'clients' (agent argument): rule 1 ('kci-dev')"
                        + " is not a valid regex: Unclosed group near index 13; " + CLIENTS_ALLOWED,
                error("clients=kci-dev:^kci-dev/(\\d+", Map.of()));
        assertEquals("Invalid value 'bot:^x/(\\d+)' for setting 'clients' (environment HEADCOUNT_CLIENTS): rule 1:"
                        + " the name 'bot' is reserved for a built-in client kind; " + CLIENTS_ALLOWED,
                error(null, Map.of("HEADCOUNT_CLIENTS", "bot:^x/(\\d+)")));
        assertEquals("Invalid value 'a:^(a)(b)' for setting 'clients' (agent argument): rule 1 ('a') has 2 capturing"
                        + " groups; allowed: one, the version (use (?:...) for the others); " + CLIENTS_ALLOWED,
                error("clients=a:^(a)(b)", Map.of()));
    }

    @Test
    void excludedAddressesAreCidrsAndEmptyMeansNone() throws Exception {
        assertEquals(List.of(Cidr.parse("198.51.100.0/24"), Cidr.parse("2001:db8::/32")),
                load("exclude.ips=198.51.100.0/24,2001:db8::/32").get(SettingDefinitions.EXCLUDE_IPS));
        assertEquals(List.of(), load("exclude.ips=").get(SettingDefinitions.EXCLUDE_IPS));
        assertNull(load(null).get(SettingDefinitions.EXCLUDE_IPS));
        assertEquals("Invalid value 'monitoring.local' for setting 'exclude.ips' (agent argument): not a CIDR:"
                        + " 'monitoring.local' (expected an IPv4 or IPv6 address, optionally followed by /prefix-length,"
                        + " such as 10.0.0.0/8 or 2001:db8::/32; host names are not allowed); allowed: comma-separated"
                        + " CIDR blocks such as 10.1.0.0/16,::1, or empty for none",
                error("exclude.ips=monitoring.local", Map.of()));
    }

    @Test
    void healthCheckersAreExcludedByDefaultAndTheListCanBeReplacedOrEmptied() throws Exception {
        assertEquals(List.of("kube-probe/", "ELB-HealthChecker/", "GoogleHC/", "Consul Health Check",
                        "Amazon-Route53-Health-Check", "Azure Traffic Manager", "AlwaysOn", "Envoy/HC", "Blackbox Exporter/",
                        "Prometheus/", "vm_promscrape", "GrafanaAgent/"),
                load(null).get(SettingDefinitions.EXCLUDE_USER_AGENTS));
        assertEquals(List.of("kube-probe/", "My Monitor"),
                load("exclude.user-agents=kube-probe/, My Monitor").get(SettingDefinitions.EXCLUDE_USER_AGENTS));
        assertEquals(List.of(), load("exclude.user-agents=").get(SettingDefinitions.EXCLUDE_USER_AGENTS));
        assertEquals("Invalid value 'a\\tb' for setting 'exclude.user-agents' (environment HEADCOUNT_EXCLUDE_USER_AGENTS):"
                        + " 'a\\tb' is longer than 100 characters or holds a control character; allowed: comma-separated"
                        + " User-Agent prefixes (at most 50, each of 1 to 100 printable characters), or empty for none",
                error(null, Map.of("HEADCOUNT_EXCLUDE_USER_AGENTS", "a\tb")));
    }
}
