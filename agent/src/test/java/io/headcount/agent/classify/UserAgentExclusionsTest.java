package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.net.Cidr;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The exclusions beside exclude.paths: User-Agent prefixes, client addresses, the metrics port. */
class UserAgentExclusionsTest {
    private final UserAgentExclusions healthCheckers = new UserAgentExclusions(List.of(
            "kube-probe/", "ELB-HealthChecker/", "GoogleHC/", "Consul Health Check", "Amazon-Route53-Health-Check",
            "Azure Traffic Manager", "AlwaysOn", "Envoy/HC", "Blackbox Exporter/"));

    @Test
    void realHealthCheckersAreExcludedByTheirLeadingName() {
        for (String userAgent : List.of("kube-probe/1.29", "ELB-HealthChecker/2.0", "GoogleHC/1.0", "Consul Health Check",
                "Amazon-Route53-Health-Check-Service (ref 2b4c1e3e-0c4b-4a1b-9a3c-1b2c3d4e5f60; report http://amzn.to/1vsZADi)",
                "Azure Traffic Manager Endpoint Monitor", "AlwaysOn", "Envoy/HC", "Blackbox Exporter/0.24.0",
                "KUBE-PROBE/1.29", " \tkube-probe/1.30")) {
            assertTrue(healthCheckers.excludes(userAgent), userAgent);
        }
    }

    @Test
    void aNameFurtherOnOrAShortPrefixIsNoMatch() {
        for (String userAgent : List.of("Mozilla/5.0 kube-probe/1.29", "kube-prob", "GoogleHC", "", "UptimeRobot/2.0",
                "Prometheus/2.48.0", "curl/8.4.0")) {
            assertFalse(healthCheckers.excludes(userAgent), userAgent);
        }
        assertFalse(healthCheckers.excludes(null));
        assertFalse(new UserAgentExclusions(List.of()).excludes("kube-probe/1.29"));
        assertFalse(new UserAgentExclusions(Arrays.asList(null, " ")).excludes("kube-probe/1.29"));
    }

    @Test
    void excludedAddressesAreBlocksOfTheResolvedClient() {
        RequestExclusions exclusions = new RequestExclusions(new PathExclusions(List.of()),
                List.of(Cidr.parse("10.20.0.0/16"), Cidr.parse("2001:db8::/32")), null);
        assertTrue(exclusions.hasAddresses());
        assertTrue(exclusions.excludesClient(new byte[] {10, 20, 3, 4}));
        assertFalse(exclusions.excludesClient(new byte[] {10, 21, 3, 4}));
        assertTrue(exclusions.excludesClient(new ClientIpResolver(List.of()).resolveAddress("2001:db8::7", null, null)));
        assertFalse(exclusions.excludesClient(null));
        assertFalse(RequestExclusions.paths(new PathExclusions(List.of())).hasAddresses());
    }

    @Test
    void aHostHeaderNamingTheServedMetricsPortIsExcluded() {
        AtomicInteger served = new AtomicInteger();
        RequestExclusions exclusions = new RequestExclusions(new PathExclusions(List.of()), null, served::get);
        assertFalse(exclusions.excludesHost("app.example:9465"), "no port served yet");
        served.set(9465);
        assertTrue(exclusions.excludesHost("app.example:9465"));
        assertTrue(exclusions.excludesHost("[2001:db8::1]:9465 "));
        assertTrue(exclusions.excludesHost("10.0.0.7:9465"));
        assertFalse(exclusions.excludesHost("app.example:8080"));
        assertFalse(exclusions.excludesHost("app.example"));
        assertFalse(exclusions.excludesHost("[2001:db8::9465]"));
        assertFalse(exclusions.excludesHost("2001:db8::1:9465"), "an unbracketed IPv6 address names no port");
        assertFalse(exclusions.excludesHost("app.example:09465x"));
        assertFalse(exclusions.excludesHost("app.example:"));
        assertFalse(exclusions.excludesHost(null));
        assertFalse(new RequestExclusions(new PathExclusions(List.of()), null, null).excludesHost("app.example:9465"),
                "exclude.metrics-port=false");
    }
}
