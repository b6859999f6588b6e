package io.headcount.it.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.testsupport.RedisServerProcess;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's acceptance: the day's unique visitors stay exact across instances (child JVMs of the
 * test app with the packaged agent, one real Redis) through start-ups with traffic from the first
 * request, a Redis outage, a Redis that comes back empty, and past the hold and backlog bounds
 * exactly the affected visits are reported as inexact. Every test also searches Redis, the logs
 * and the scrapes for the visitors' raw addresses and User-Agents.
 */
class RedisExactVisitorsIT {
    private static final int VISITORS = 300;

    private RedisServerProcess redis;
    private final List<AppProcess> apps = new ArrayList<>();
    private final List<MetricsEndpoint> metrics = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AppProcess app : apps) {
            app.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private AppProcess launch(String name, String settings) {
        int metricsPort = FreePorts.pick();
        AppProcess app = AppProcess.named(name)
                .agent("port=" + metricsPort + ",redis.url=" + redis.url() + (settings.isEmpty() ? "" : "," + settings))
                .launch();
        apps.add(app);
        metrics.add(new MetricsEndpoint(metricsPort));
        return app;
    }

    private void launchThree(String name) {
        for (int i = 0; i < 3; i++) {
            launch(name + "-" + i, "");
        }
        for (AppProcess app : apps) {
            app.awaitReady();
        }
        for (MetricsEndpoint endpoint : metrics) {
            endpoint.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0);
        }
    }

    private List<PrometheusText> settledScrapes(int requests) throws InterruptedException {
        return SharedRedisApps.settledScrapes(metrics, requests, 60);
    }

    private static double sum(List<PrometheusText> scrapes, String metric, String... labels) {
        return SharedRedisApps.sum(scrapes, metric, labels);
    }

    /** The counters' sum over instances, and the gauge on every instance, are the exact figures. */
    private void assertExact(String test, List<PrometheusText> scrapes, VisitorTraffic traffic) {
        int visitors = traffic.visitors().size();
        StringBuilder figures = new StringBuilder(test + ": " + visitors + " distinct visitors; counters summed "
                + sum(scrapes, "headcount_unique_visitors_total") + "; gauge per instance");
        for (PrometheusText text : scrapes) {
            figures.append(' ').append(text.valueOrZero("headcount_unique_visitors_today", "client", "browser"));
        }
        figures.append("; inexact ").append(sum(scrapes, "headcount_visitors_inexact_total"));
        figures.append("; by endpoint: counters summed ").append(sumByEndpoint(scrapes))
                .append(", gauge on the first instance ").append(scrapes.get(0).series("headcount_unique_visitors_today_by_endpoint"));
        System.out.println(figures);
        assertEquals(visitors, sum(scrapes, "headcount_unique_visitors_total", "client", "browser"), figures.toString());
        assertEquals(visitors, sum(scrapes, "headcount_unique_visitors_total"), figures.toString());
        assertEquals(0, sum(scrapes, "headcount_visitors_inexact_total"), figures.toString());
        for (Map.Entry<String, Set<Integer>> endpoint : traffic.visitorsByEndpoint().entrySet()) {
            assertEquals(endpoint.getValue().size(), sum(scrapes, "headcount_unique_visitors_by_endpoint_total",
                    "client", "browser", "endpoint", endpoint.getKey()), endpoint.getKey());
        }
        for (PrometheusText text : scrapes) {
            assertEquals(visitors, text.valueOrZero("headcount_unique_visitors_today", "client", "browser"), figures.toString());
            for (Map.Entry<String, Set<Integer>> endpoint : traffic.visitorsByEndpoint().entrySet()) {
                assertEquals(endpoint.getValue().size(), text.valueOrZero("headcount_unique_visitors_today_by_endpoint",
                        "client", "browser", "endpoint", endpoint.getKey()), endpoint.getKey());
            }
            assertEquals(1.0, text.valueOrZero("headcount_redis_up"));
            assertEquals(0.0, text.valueOrZero("headcount_events_dropped_total"));
        }
    }

    private static Map<String, Double> sumByEndpoint(List<PrometheusText> scrapes) {
        Map<String, Double> sums = new java.util.TreeMap<>();
        for (PrometheusText text : scrapes) {
            text.sumBy("headcount_unique_visitors_by_endpoint_total", "endpoint").forEach((k, v) -> sums.merge(k, v, Double::sum));
        }
        return sums;
    }

    private static long lines(AppProcess app, String text) {
        return app.stderrLines().stream().filter(line -> line.contains(text)).count();
    }

    /** Lines with {@code text} after Redis was first up (a first connection may time out on a busy machine). */
    private static long linesOnceUp(AppProcess app, String text) {
        List<String> lines = app.stderrLines();
        int firstUp = 0;
        while (firstUp < lines.size() && !lines.get(firstUp).contains("is up")) {
            firstUp++;
        }
        return lines.subList(Math.min(firstUp, lines.size()), lines.size()).stream()
                .filter(line -> line.contains(text)).count();
    }

    @Test
    void instancesStartedOneAfterAnotherWithTrafficFromTheirFirstRequestCountEveryVisitorOnce() throws Exception {
        redis = RedisServerProcess.start();
        VisitorTraffic traffic = new VisitorTraffic(20261203);
        List<VisitorTraffic.Visit> visits = traffic.plan(0, VISITORS, 3, 5);
        int third = visits.size() / 3;
        for (int k = 0; k < 3; k++) {
            AppProcess newest = launch("exact-startup-" + k, "").awaitReady();
            int started = k + 1;
            // The newest instance's first requests are visits: its agent starts with them.
            traffic.send(visits.subList(k * third, k == 2 ? visits.size() : (k + 1) * third),
                    i -> i < 30 ? newest : apps.get(traffic.pick(started)), 0);
        }
        List<PrometheusText> scrapes = settledScrapes(visits.size());
        assertExact("sequential start-up (" + visits.size() + " requests)", scrapes, traffic);
        NoRawValues.assertNoneIn(redis, apps, metrics, VISITORS);
    }

    @Test
    void aRedisStoppedForTwentySecondsAndStartedWithItsDataKeepsTheDayExact() throws Exception {
        redis = RedisServerProcess.startPersistent();
        launchThree("exact-outage");
        VisitorTraffic traffic = new VisitorTraffic(20261204);
        List<VisitorTraffic.Visit> known = traffic.plan(0, 200, 3, 5);
        List<VisitorTraffic.Visit> fresh = traffic.plan(200, VISITORS, 2, 4);
        int half = known.size() / 2;
        List<VisitorTraffic.Visit> during = new ArrayList<>(known.subList(half, half + half / 2));
        during.addAll(fresh.subList(0, fresh.size() / 2));
        Collections.shuffle(during, new java.util.Random(7));
        List<VisitorTraffic.Visit> after = new ArrayList<>(known.subList(half + half / 2, known.size()));
        after.addAll(fresh.subList(fresh.size() / 2, fresh.size()));

        traffic.send(known.subList(0, half), i -> apps.get(traffic.pick(3)), 0);
        settledScrapes(half);
        redis.stop();
        long stopped = System.nanoTime();
        for (MetricsEndpoint endpoint : metrics) {
            endpoint.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 0.0);
        }
        // New and returning visitors spread over the outage: four clients, about 15 s.
        traffic.send(during, i -> apps.get(traffic.pick(3)), 4 * 15_000L / during.size());
        double pendingDuring = 0;
        for (MetricsEndpoint endpoint : metrics) {
            pendingDuring += endpoint.scrape().sum("headcount_visitors_pending");
        }
        long left = 20_000 - (System.nanoTime() - stopped) / 1_000_000;
        if (left > 0) {
            Thread.sleep(left);
        }
        long outageMillis = (System.nanoTime() - stopped) / 1_000_000;
        redis.startAgain();
        traffic.send(after, i -> apps.get(traffic.pick(3)), 0);
        int requests = known.size() + fresh.size();
        List<PrometheusText> scrapes = settledScrapes(requests);
        System.out.println("redis outage with data: " + outageMillis + " ms down, " + during.size()
                + " requests during it, " + pendingDuring + " pending (first sightings over the instances) just before it ended");
        assertTrue(pendingDuring > 0, "the visitors of the outage waited in the backlog");
        assertExact("outage with data (" + requests + " requests)", scrapes, traffic);
        for (AppProcess app : apps) {
            assertEquals(1, linesOnceUp(app, "is unavailable"), app.output());
            assertEquals(0, lines(app, "lost the visitors"), app.output());
            assertEquals(0, lines(app, "Reconnecting"), app.output());
        }
        NoRawValues.assertNoneIn(redis, apps, metrics, VISITORS);
    }

    @Test
    void aRedisRestartedEmptyMidDayGetsTheDayBackAndCountsNoVisitorTwice() throws Exception {
        redis = RedisServerProcess.start();
        launchThree("exact-empty");
        VisitorTraffic traffic = new VisitorTraffic(20261205);
        List<VisitorTraffic.Visit> known = traffic.plan(0, 200, 3, 5);
        List<VisitorTraffic.Visit> fresh = traffic.plan(200, VISITORS, 2, 4);
        int half = known.size() / 2;
        traffic.send(known.subList(0, half), i -> apps.get(traffic.pick(3)), 0);
        settledScrapes(half);
        redis.kill();
        redis.startAgain();
        List<VisitorTraffic.Visit> after = new ArrayList<>(known.subList(half, known.size()));
        after.addAll(fresh);
        Collections.shuffle(after, new java.util.Random(8));
        traffic.send(after, i -> apps.get(traffic.pick(3)), 0);
        int requests = known.size() + fresh.size();
        List<PrometheusText> scrapes = settledScrapes(requests);
        assertExact("Redis restarted empty (" + requests + " requests)", scrapes, traffic);
        for (AppProcess app : apps) {
            assertEquals(1, lines(app, "lost the visitors"), app.output());
        }
        NoRawValues.assertNoneIn(redis, apps, metrics, VISITORS);
    }

    @Test
    void pastTheHoldAndBacklogBoundsExactlyTheAffectedVisitsAreInexact() throws Exception {
        redis = RedisServerProcess.start();
        redis.kill();
        AppProcess app = launch("exact-bounds", "redis.timeout-ms=500,redis.hold.max-visits=10,"
                + "redis.hold.max-ms=600000,redis.backlog.max=10").awaitReady();
        MetricsEndpoint endpoint = metrics.get(0);
        VisitorTraffic traffic = new VisitorTraffic(20261206);
        List<VisitorTraffic.Visit> first = new ArrayList<>();
        for (int visitor = 0; visitor < 30; visitor++) {
            first.add(traffic.visit(visitor, "/api/users"));
        }
        // Redis is away from the start: ten visits are held, twenty are counted alone.
        traffic.send(first, i -> app, 0);
        PrometheusText held = endpoint.scrapeUntil(text -> text.sum("headcount_requests_total") == 30);
        assertEquals(20, held.sum("headcount_visitors_inexact_total"));
        assertEquals(20, held.sum("headcount_unique_visitors_total"));
        assertEquals(10, held.sum("headcount_visitors_pending"));

        redis.startAgain();
        PrometheusText up = endpoint.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0
                && text.sum("headcount_visitors_pending") == 0);
        assertEquals(30, up.sum("headcount_unique_visitors_total"));
        assertEquals(20, up.sum("headcount_visitors_inexact_total"));

        // Redis frozen: five new visitors fill the backlog of ten sightings, fifteen are counted alone.
        redis.suspend();
        endpoint.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 0.0);
        List<VisitorTraffic.Visit> second = new ArrayList<>();
        for (int visitor = 30; visitor < 50; visitor++) {
            second.add(traffic.visit(visitor, "/api/users"));
        }
        traffic.send(second, i -> app, 0);
        PrometheusText frozen = endpoint.scrapeUntil(text -> text.sum("headcount_requests_total") == 50);
        assertEquals(35, frozen.sum("headcount_visitors_inexact_total"));
        assertEquals(45, frozen.sum("headcount_unique_visitors_total"));
        assertEquals(10, frozen.sum("headcount_visitors_pending"));
        assertEquals(0.0, frozen.valueOrZero("headcount_redis_up"));

        redis.resume();
        PrometheusText back = endpoint.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0
                && text.sum("headcount_visitors_pending") == 0);
        System.out.println("bounds: held " + held.sum("headcount_visitors_pending") + ", inexact after the hold "
                + held.sum("headcount_visitors_inexact_total") + ", after the backlog " + back.sum("headcount_visitors_inexact_total")
                + "; unique visitors counted " + back.sum("headcount_unique_visitors_total") + " of 50");
        assertEquals(50, back.sum("headcount_unique_visitors_total"));
        assertEquals(35, back.sum("headcount_visitors_inexact_total"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertEquals(":15", redis.command("SCARD", "headcount:" + today + ":visitors:browser").trim());
        assertEquals(1, lines(app, "is unavailable (no reply in 500 ms)"), app.output());
        assertTrue(app.awaitStderr(line -> line.contains("is up") && app.stderrLines().stream()
                .filter(l -> l.contains("is up")).count() == 2, java.time.Duration.ofSeconds(5)) != null, app.output());
        NoRawValues.assertNoneIn(redis, apps, metrics, 50);
    }
}
