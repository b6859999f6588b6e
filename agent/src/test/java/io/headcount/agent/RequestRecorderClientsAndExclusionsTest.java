package io.headcount.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.config.Settings;
import io.headcount.agent.config.SettingsLoader;
import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.visitors.InMemoryVisitorTracker;
import io.headcount.agent.visitors.VisitorDayClock;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Issue 16, items 1 and 3: named clients and exclusions, wired from settings as the agent wires them. */
class RequestRecorderClientsAndExclusionsTest {
    private final HeadcountMetrics metrics = new HeadcountMetrics();

    private RequestRecorder recorder(String agentArgs) throws Exception {
        Settings settings = SettingsLoader.load(agentArgs, Map.of(), Map.of());
        return AgentRuntime.recorder(settings, metrics,
                new InMemoryVisitorTracker(metrics, new VisitorDayClock(ZoneOffset.UTC), 1000, new SecureRandom()),
                new IgnoredForwarding("X-Forwarded-For"));
    }

    @Test
    void aNamedClientIsItsOwnClientLabelWithVersionsAndVisitors() throws Exception {
        RequestRecorder recorder = recorder("clients=kci-dev:^kci-dev/(\\d+\\.\\d+\\.\\d+);"
                + "ci+automated:^ci-runner/(\\d+\\.\\d+)");
        recorder.record(event("kci-dev/0.1.7", "203.0.113.1"));
        recorder.record(event("kci-dev/0.1.7", "203.0.113.2"));
        recorder.record(event("kci-dev/0.2.0", "203.0.113.1"));
        recorder.record(event("kci-dev/0.2.0-dirty+abc", "203.0.113.1")); // the group stops at the '-'
        recorder.record(event("kci-dev/1.2", "203.0.113.1")); // no match: three numbers are required
        recorder.record(event("ci-runner/4.2", "203.0.113.3"));
        assertEquals(Map.ofEntries(
                Map.entry("headcount_client_requests_by_version client=ci,version=4.2", 1.0),
                Map.entry("headcount_client_requests_by_version client=kci-dev,version=0.1.7", 2.0),
                Map.entry("headcount_client_requests_by_version client=kci-dev,version=0.2.0", 2.0),
                Map.entry("headcount_requests_by_auth auth=anonymous", 6.0),
                Map.entry("headcount_requests client=ci,endpoint=/api/users,method=GET,status_class=2xx", 1.0),
                Map.entry("headcount_requests client=kci-dev,endpoint=/api/users,method=GET,status_class=2xx", 4.0),
                Map.entry("headcount_requests client=unknown,endpoint=/api/users,method=GET,status_class=2xx", 1.0),
                Map.entry("headcount_requests_by_client browser=unknown,client=ci,device=unknown,os=unknown", 1.0),
                Map.entry("headcount_requests_by_client browser=unknown,client=kci-dev,device=unknown,os=unknown", 4.0),
                Map.entry("headcount_requests_by_client browser=unknown,client=unknown,device=unknown,os=unknown", 1.0),
                Map.entry("headcount_requests_by_referrer referrer=direct", 6.0),
                // kci-dev: 4 distinct (address, User-Agent) pairs
                Map.entry("headcount_unique_visitors client=kci-dev", 4.0),
                Map.entry("headcount_unique_visitors client=unknown", 1.0),
                Map.entry("headcount_unique_visitors_by_endpoint client=kci-dev,endpoint=/api/users", 4.0),
                Map.entry("headcount_unique_visitors_by_endpoint client=unknown,endpoint=/api/users", 1.0)), counters());
    }

    @Test
    void versionsPast32PerClientAndMalformedOnesAreOther() throws Exception {
        RequestRecorder recorder = recorder("clients=app:^app/(\\S+)");
        for (int i = 0; i < 34; i++) {
            recorder.record(event("app/1." + i, "203.0.113.1"));
        }
        recorder.record(event("app/v1", "203.0.113.1"));
        Map<String, Double> versions = new TreeMap<>();
        counters().forEach((series, value) -> {
            if (series.startsWith("headcount_client_requests_by_version")) {
                versions.put(series.substring(series.indexOf("version=") + 8), value);
            }
        });
        assertEquals(33, versions.size());
        assertEquals(3.0, versions.get("other"));
        assertEquals(1.0, versions.get("1.31"));
        assertEquals(null, versions.get("1.32"));
    }

    @Test
    void excludedAddressesHealthCheckersAndScrapersAreNotCountedAtAll() throws Exception {
        RequestRecorder recorder = recorder("exclude.ips=198.51.100.0/24,2001:db8::/32");
        recorder.record(event("curl/8.5.0", "198.51.100.7"));
        RequestEvent forwarded = event("curl/8.5.0", "10.0.0.5"); // a trusted proxy for a monitoring host
        forwarded.xForwardedFor = "198.51.100.8";
        recorder.record(forwarded);
        recorder.record(event("curl/8.5.0", "2001:db8::5"));
        recorder.record(event("kube-probe/1.29", "203.0.113.1"));
        recorder.record(event("ELB-HealthChecker/2.0", "203.0.113.1"));
        recorder.record(event("Prometheus/2.48.0", "203.0.113.1"));
        RequestEvent proxiedVisitor = event("curl/8.5.0", "198.51.100.9"); // the proxy is not trusted
        proxiedVisitor.xForwardedFor = "203.0.113.50";
        recorder.record(proxiedVisitor);
        recorder.record(event("curl/8.5.0", "203.0.113.2"));
        RequestEvent health = event("curl/8.5.0", "203.0.113.2");
        health.requestUri = "/health/live";
        recorder.record(health);
        assertEquals(Map.of("headcount_requests client=script,endpoint=/api/users,method=GET,status_class=2xx", 1.0),
                requests());
        // Not counted, but seen: a client that hides behind a health checker's User-Agent shows here.
        Map<String, Double> excluded = new TreeMap<>();
        counters().forEach((series, value) -> {
            if (series.startsWith("headcount_requests_excluded ")) {
                excluded.put(series, value);
            }
        });
        assertEquals(Map.of("headcount_requests_excluded reason=address", 4.0,
                "headcount_requests_excluded reason=user_agent", 3.0,
                "headcount_requests_excluded reason=path", 1.0), excluded);
    }

    @Test
    void theDefaultUserAgentExclusionsCanBeTurnedOff() throws Exception {
        RequestRecorder recorder = recorder("exclude.user-agents=");
        recorder.record(event("kube-probe/1.29", "203.0.113.1"));
        recorder.record(event("Prometheus/2.48.0", "203.0.113.1"));
        assertEquals(Map.of("headcount_requests client=bot,endpoint=/api/users,method=GET,status_class=2xx", 2.0),
                requests());
    }

    private static RequestEvent event(String userAgent, String remoteAddr) {
        RequestEvent event = new RequestEvent();
        event.method = "GET";
        event.requestUri = "/api/users";
        event.contextPath = "";
        event.userAgent = userAgent;
        event.remoteAddr = remoteAddr;
        event.host = "app.example";
        event.status = 200;
        event.durationNanos = 1_000_000;
        return event;
    }

    private Map<String, Double> requests() {
        Map<String, Double> out = new TreeMap<>();
        counters().forEach((series, value) -> {
            if (series.startsWith("headcount_requests ")) {
                out.put(series, value);
            }
        });
        return out;
    }

    private Map<String, Double> counters() {
        return RequestRecorderTest.counters(metrics);
    }
}
