package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.net.Cidr;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exclusions beside exclude.paths: User-Agent prefixes and client addresses. */
class UserAgentExclusionsTest {
    private final UserAgentExclusions healthCheckers = new UserAgentExclusions(List.of(
            "kube-probe/", "ELB-HealthChecker/", "GoogleHC/", "Consul Health Check", "Amazon-Route53-Health-Check",
            "Azure Traffic Manager", "AlwaysOn", "Envoy/HC", "Blackbox Exporter/", "Prometheus/", "vm_promscrape",
            "GrafanaAgent/"));

    @Test
    void realHealthCheckersAndScrapersAreExcludedByTheirLeadingName() {
        for (String userAgent : List.of("kube-probe/1.29", "ELB-HealthChecker/2.0", "GoogleHC/1.0", "Consul Health Check",
                "Amazon-Route53-Health-Check-Service (ref 2b4c1e3e-0c4b-4a1b-9a3c-1b2c3d4e5f60; report http://amzn.to/1vsZADi)",
                "Azure Traffic Manager Endpoint Monitor", "AlwaysOn", "Envoy/HC", "Blackbox Exporter/0.24.0",
                "Prometheus/2.48.0", "vm_promscrape", "GrafanaAgent/v0.40.0 (static; linux; binary)",
                "KUBE-PROBE/1.29", " \tkube-probe/1.30")) {
            assertTrue(healthCheckers.excludes(userAgent), userAgent);
        }
    }

    @Test
    void aNameFurtherOnOrAShortPrefixIsNoMatch() {
        for (String userAgent : List.of("Mozilla/5.0 kube-probe/1.29", "kube-prob", "GoogleHC", "", "UptimeRobot/2.0",
                "Prometheus", "curl/8.4.0")) {
            assertFalse(healthCheckers.excludes(userAgent), userAgent);
        }
        assertFalse(healthCheckers.excludes(null));
        assertFalse(new UserAgentExclusions(List.of()).excludes("kube-probe/1.29"));
        assertFalse(new UserAgentExclusions(Arrays.asList(null, " ")).excludes("kube-probe/1.29"));
    }

    @Test
    void excludedAddressesAreBlocksOfTheResolvedClient() {
        RequestExclusions exclusions = new RequestExclusions(new PathExclusions(List.of()),
                List.of(Cidr.parse("10.20.0.0/16"), Cidr.parse("2001:db8::/32")));
        assertTrue(exclusions.hasAddresses());
        assertTrue(exclusions.excludesClient(new byte[] {10, 20, 3, 4}));
        assertFalse(exclusions.excludesClient(new byte[] {10, 21, 3, 4}));
        assertTrue(exclusions.excludesClient(new ClientIpResolver(List.of()).resolveAddress("2001:db8::7", null, null)));
        assertFalse(exclusions.excludesClient(null));
        assertFalse(RequestExclusions.paths(new PathExclusions(List.of())).hasAddresses());
    }
}
