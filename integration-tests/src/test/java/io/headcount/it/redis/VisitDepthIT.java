package io.headcount.it.redis;

import static io.headcount.it.harness.PrometheusText.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.harness.UserAgents;
import io.headcount.testsupport.RedisServerProcess;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Visit depth on real app instances across a real midnight: {@code day.zone} is an offset chosen so
 * that its midnight falls about 80 s after the test starts. Two instances share a Redis, a third
 * counts in memory. After midnight the in-memory instance adds its own day at once; of the two Redis
 * instances exactly one adds the shared day, from 60 s after midnight.
 */
class VisitDepthIT {
    private static final long SECONDS_TO_MIDNIGHT = 80;
    private static final String METRIC = "headcount_visitors_by_request_count_total";
    /** Requests per browser visitor, spread over the two Redis instances: one visitor per band up to 51-100. */
    private static final int[] REQUESTS = {1, 3, 7, 15, 30, 60};

    private static RedisServerProcess redis;
    private static final List<AppProcess> apps = new ArrayList<>();

    @AfterAll
    static void stop() throws Exception {
        for (AppProcess app : apps) {
            app.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** An offset zone whose next midnight is {@code midnight}, to the second. */
    private static String zoneWithMidnightAt(Instant midnight) {
        int secondOfDay = midnight.atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay();
        int offset = Math.floorMod(-secondOfDay, 86_400);
        if (offset > 43_200) {
            offset -= 86_400;
        }
        return ZoneOffset.ofTotalSeconds(offset).getId();
    }

    private static AppProcess start(String name, String agentArgs) {
        AppProcess app = AppProcess.named(name).agent(agentArgs).launch();
        apps.add(app);
        return app;
    }

    @Test
    void eachInstanceOrTheSharedDayIsAddedOnceAfterMidnight() throws Exception {
        Instant midnight = Instant.now().plusSeconds(SECONDS_TO_MIDNIGHT).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String zone = zoneWithMidnightAt(midnight);
        redis = RedisServerProcess.start();
        List<MetricsEndpoint> shared = new ArrayList<>();
        List<AppProcess> sharedApps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int port = FreePorts.pick();
            sharedApps.add(start("visit-depth-redis-" + i, "port=" + port + ",redis.url=" + redis.url() + ",day.zone=" + zone));
            shared.add(new MetricsEndpoint(port));
        }
        int alonePort = FreePorts.pick();
        AppProcess alone = start("visit-depth-memory", "port=" + alonePort + ",day.zone=" + zone);
        MetricsEndpoint aloneMetrics = new MetricsEndpoint(alonePort);
        for (AppProcess app : apps) {
            app.awaitReady();
        }
        for (MetricsEndpoint endpoint : shared) {
            endpoint.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0);
        }

        Http http = new Http();
        int sent = 0;
        for (int visitor = 0; visitor < REQUESTS.length; visitor++) {
            for (int r = 0; r < REQUESTS[visitor]; r++) {
                AppProcess app = sharedApps.get(sent++ % 2);
                assertEquals(200, http.request("GET", app.url("/api/users")).userAgent(UserAgents.CHROME_WINDOWS)
                        .forwardedFor("203.0.113." + (10 + visitor)).status());
            }
        }
        for (int r = 0; r < 2; r++) {
            assertEquals(200, http.request("GET", sharedApps.get(r).url("/api/users")).userAgent(UserAgents.CURL)
                    .forwardedFor("198.51.100.7").status());
        }
        for (int r = 0; r < 4; r++) {
            assertEquals(200, http.request("GET", alone.url("/api/users")).userAgent(UserAgents.FIREFOX_LINUX)
                    .forwardedFor("192.0.2.5").status());
        }
        long left = midnight.getEpochSecond() - Instant.now().getEpochSecond();
        assertTrue(left >= 5, "the traffic must end before midnight, " + left + " s were left; start-up was slow");
        for (MetricsEndpoint endpoint : shared) {
            assertEquals(Map.of(), endpoint.scrape().sumBy(METRIC, "client", "band"), "nothing while the day runs");
        }

        Thread.sleep(Math.max(0, midnight.toEpochMilli() - System.currentTimeMillis()) + 2000);
        PrometheusText memory = aloneMetrics.scrapeUntil(text -> !text.sumBy(METRIC, "client", "band").isEmpty());
        assertEquals(Map.of(labels("band", "2-5", "client", "browser"), 1.0), memory.sumBy(METRIC, "client", "band"));

        // The shared day, from 60 s after midnight; the others look again 30 s later and add nothing.
        Thread.sleep(Math.max(0, midnight.toEpochMilli() + 60_000 - System.currentTimeMillis()));
        Map<String, Double> expected = new TreeMap<>(Map.of(
                labels("band", "1", "client", "browser"), 1.0, labels("band", "2-5", "client", "browser"), 1.0,
                labels("band", "6-10", "client", "browser"), 1.0, labels("band", "11-20", "client", "browser"), 1.0,
                labels("band", "21-50", "client", "browser"), 1.0, labels("band", "51-100", "client", "browser"), 1.0,
                labels("band", "2-5", "client", "script"), 1.0));
        long deadline = System.currentTimeMillis() + 45_000;
        Map<String, Double> sum;
        int publishers;
        do {
            Thread.sleep(1000);
            Map<String, Double> summed = new TreeMap<>();
            publishers = 0;
            for (MetricsEndpoint endpoint : shared) {
                Map<String, Double> own = endpoint.scrape().sumBy(METRIC, "client", "band");
                publishers += own.isEmpty() ? 0 : 1;
                own.forEach((series, value) -> summed.merge(series, value, Double::sum));
            }
            sum = summed;
        } while (System.currentTimeMillis() < deadline
                && (!sum.equals(expected) || System.currentTimeMillis() < midnight.toEpochMilli() + 95_000));
        assertEquals(expected, sum);
        assertEquals(1, publishers);
        assertEquals("$4\r\ndone", redis.command("GET", "headcount:" + java.time.LocalDate.ofInstant(midnight.minusSeconds(1),
                ZoneOffset.of(zone)) + ":depth-published").trim());
    }
}
