package io.headcount.it.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.PrometheusText;
import io.headcount.testsupport.RedisServerProcess;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 4: {@code visitors.mode=approximate} end to end. Three app instances share one
 * real Redis; the day's visitors go into HyperLogLogs only (no sets of fingerprints), every
 * instance's gauges read the same estimate, within a few visitors of the truth at this size, and no
 * raw value reaches Redis, a log or a scrape.
 */
class RedisApproximateModeIT {
    private static final int VISITORS = 300;

    @Test
    void threeInstancesShareHyperLogLogsAndReadTheSameEstimate() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
             SharedRedisApps apps = new SharedRedisApps("redis-approximate", 3,
                     "redis.url=" + redis.url() + ",visitors.mode=approximate")) {
            VisitorTraffic traffic = new VisitorTraffic(20261217);
            List<VisitorTraffic.Visit> visits = traffic.plan(0, VISITORS, 3, 5);
            traffic.send(visits, i -> apps.pick(traffic), 0);
            List<PrometheusText> scrapes = apps.settledScrapes(visits.size(), 60);
            System.out.println("approximate mode: " + VISITORS + " visitors, " + visits.size() + " requests; "
                    + SharedRedisApps.figures(scrapes) + "; by endpoint on the first instance "
                    + scrapes.get(0).series("headcount_unique_visitors_today_by_endpoint")
                    + "; truth by endpoint " + truth(traffic));
            double estimate = scrapes.get(0).valueOrZero("headcount_unique_visitors_today", "client", "browser");
            // Standard error 0.81%: within three of them (2.4%), rounded up.
            assertTrue(Math.abs(estimate - VISITORS) <= tolerance(VISITORS), "estimate " + estimate);
            for (PrometheusText text : scrapes) {
                assertEquals(estimate, text.valueOrZero("headcount_unique_visitors_today", "client", "browser"));
                for (Map.Entry<String, Set<Integer>> endpoint : traffic.visitorsByEndpoint().entrySet()) {
                    double value = text.valueOrZero("headcount_unique_visitors_today_by_endpoint",
                            "client", "browser", "endpoint", endpoint.getKey());
                    assertTrue(Math.abs(value - endpoint.getValue().size()) <= tolerance(endpoint.getValue().size()),
                            endpoint.getKey() + " " + value);
                }
                assertEquals(0.0, text.valueOrZero("headcount_visitors_inexact_total"));
            }
            // Each instance counts its own first sightings: at least every visitor once, at most once per instance.
            double counters = SharedRedisApps.sum(scrapes, "headcount_unique_visitors_total", "client", "browser");
            assertTrue(counters >= VISITORS && counters <= 3 * VISITORS, "counters " + counters);

            String day = "headcount:" + LocalDate.now(ZoneOffset.UTC) + ":";
            String keys = redis.command("KEYS", day + "*");
            assertTrue(keys.contains(day + "hll:visitors:browser"), keys);
            assertFalse(keys.contains(day + "visitors:"), keys);
            assertTrue(redis.command("GET", day + "hll:visitors:browser").contains("HYLL"));
            NoRawValues.assertNoneIn(redis, apps.apps, apps.metrics, VISITORS);
        }
    }

    static long tolerance(int truth) {
        return (long) Math.ceil(truth * 0.025);
    }

    private static Map<String, Integer> truth(VisitorTraffic traffic) {
        Map<String, Integer> truth = new java.util.TreeMap<>();
        traffic.visitorsByEndpoint().forEach((endpoint, visitors) -> truth.put(endpoint, visitors.size()));
        return truth;
    }
}
