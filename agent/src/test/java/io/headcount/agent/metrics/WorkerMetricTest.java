package io.headcount.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The worker's own counter and histogram against client_java's: the same operations must scrape
 * to the same text, in both formats, and a scrape during the worker's writes must see each
 * histogram series whole.
 */
class WorkerMetricTest {
    private static final double[] BOUNDS = HeadcountMetrics.DURATION_BUCKETS;

    private final PrometheusRegistry theirs = new PrometheusRegistry();
    private final PrometheusRegistry ours = new PrometheusRegistry();

    private static Counter.Builder counter() {
        return Counter.builder(HeadcountMetrics.PROPERTIES).name("test_requests").help("Requests \"counted\".\n")
                .labelNames("endpoint", "client").withoutExemplars();
    }

    private static Histogram.Builder histogram() {
        return Histogram.builder(HeadcountMetrics.PROPERTIES).name("test_duration_seconds").help("Durations.")
                .labelNames("endpoint").classicOnly().classicUpperBounds(BOUNDS).withoutExemplars();
    }

    @Test
    void theSameCountsAndObservationsScrapeToTheSameText() throws IOException {
        Counter theirCounter = counter().register(theirs);
        Histogram theirHistogram = histogram().register(theirs);
        WorkerCounter ourCounter = new WorkerCounter(counter(), "endpoint", "client");
        WorkerHistogram ourHistogram = new WorkerHistogram(histogram(), BOUNDS, "endpoint");
        ours.register(ourCounter);
        ours.register(ourHistogram);
        // Label values that the text formats must escape, values on and between the bounds, beyond
        // the last, infinite, negative, zero and NaN (which client_java ignores).
        String[] endpoints = {"/api/users/{id}", "/a\"b", "/back\\slash", "/new\nline", "", "other"};
        double[] values = {0.005, 0.0050001, 0.01, 10, 10.5, Double.POSITIVE_INFINITY, -1, 0, Double.NaN, 1e-9};
        Random random = new Random(14);
        for (int i = 0; i < 5_000; i++) {
            String endpoint = endpoints[random.nextInt(endpoints.length)];
            String client = random.nextBoolean() ? "browser" : "bot";
            double value = random.nextInt(3) == 0 ? values[random.nextInt(values.length)] : random.nextDouble() * 12;
            theirCounter.labelValues(endpoint, client).inc();
            ourCounter.labelValues(endpoint, client).inc();
            theirHistogram.labelValues(endpoint).observe(value);
            ourHistogram.labelValues(endpoint).observe(value);
        }
        for (ExpositionFormatWriter writer : new ExpositionFormatWriter[] {
            PrometheusTextFormatWriter.create(), OpenMetricsTextFormatWriter.create()}) {
            String expected = scrape(writer, theirs);
            assertTrue(expected.contains("test_duration_seconds_bucket{endpoint=\"/a\\\"b\",le=\"0.005\"}"), expected);
            assertEquals(expected, scrape(writer, ours));
        }
    }

    @Test
    void aCounterWithoutCountsAndItsCreationTimeScrapeAsClientJavasDo() throws IOException {
        long before = System.currentTimeMillis();
        Counter theirCounter = counter().register(theirs);
        WorkerCounter ourCounter = new WorkerCounter(counter(), "endpoint", "client");
        ours.register(ourCounter);
        CounterDataPoint their = theirCounter.labelValues("/", "bot");
        WorkerCounter.Series our = ourCounter.labelValues("/", "bot");
        long after = System.currentTimeMillis();
        assertTrue(our.createdMillis >= before && our.createdMillis <= after);
        assertEquals(their.get(), our.get(), 0.0);
        ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();
        assertEquals(scrape(openMetrics, theirs), scrape(openMetrics, ours));
        assertEquals(1, ourCounter.collect().getDataPoints().size());
    }

    @Test
    void theSeriesOfEqualLabelValuesIsOneAndTheLabelCountIsChecked() {
        WorkerCounter ourCounter = new WorkerCounter(counter(), "endpoint", "client");
        String[] values = {"/a", "bot"};
        WorkerCounter.Series first = ourCounter.labelValues(values);
        values[0] = "/b";
        assertEquals(first, ourCounter.labelValues(new String("/a"), new String("bot")));
        assertNotEquals(first, ourCounter.labelValues(values));
        IllegalArgumentException wrong = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ourCounter.labelValues("/a"));
        assertEquals("test_requests has 2 labels, not 1", wrong.getMessage());
        assertEquals(2, ourCounter.collect().getDataPoints().size());
    }

    /**
     * The worker observes 0.5 s, again and again, into one series while this thread scrapes it: in
     * every scrape the count is the sum of the buckets, all of them in 0.5's bucket, and the sum is
     * exactly half the count (0.5 and its multiples are exact in binary). Afterwards every
     * observation is there. The scrapes run as long as the worker does; nothing here is timed.
     */
    @Test
    void aScrapeDuringTheWorkersObservationsSeesEachSeriesWhole() throws Exception {
        WorkerHistogram ourHistogram = new WorkerHistogram(histogram(), BOUNDS, "endpoint");
        WorkerCounter ourCounter = new WorkerCounter(counter(), "endpoint", "client");
        int observations = 2_000_000;
        AtomicBoolean done = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            WorkerHistogram.Series series = ourHistogram.labelValues("/");
            WorkerCounter.Series count = ourCounter.labelValues("/", "bot");
            for (int i = 0; i < observations; i++) {
                series.observe(0.5);
                count.inc();
            }
            done.set(true);
        }, "test-worker");
        worker.start();
        int scrapes = 0;
        long lastCount = 0;
        while (!done.get() || scrapes == 0) {
            HistogramSnapshot snapshot = (HistogramSnapshot) ourHistogram.collect();
            for (HistogramDataPointSnapshot point : snapshot.getDataPoints()) {
                long inBuckets = 0;
                for (ClassicHistogramBucket bucket : point.getClassicBuckets()) {
                    inBuckets += bucket.getCount();
                    assertTrue(bucket.getCount() == 0 || bucket.getUpperBound() == 0.5, "a count outside 0.5's bucket");
                }
                assertEquals(point.getCount(), inBuckets);
                assertEquals(point.getCount() * 0.5, point.getSum(), 0.0);
                assertTrue(point.getCount() >= lastCount, "a count went back");
                lastCount = point.getCount();
            }
            scrapes++;
        }
        worker.join();
        HistogramDataPointSnapshot last = ((HistogramSnapshot) ourHistogram.collect()).getDataPoints().get(0);
        assertEquals(observations, last.getCount());
        assertEquals(observations * 0.5, last.getSum(), 0.0);
        assertEquals(observations, ourCounter.labelValues("/", "bot").get());
    }

    /** The registry's text with every creation time, which differs between the two by milliseconds, made 0. */
    private static String scrape(ExpositionFormatWriter writer, PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8).replaceAll("(?m)^(\\S+_created(\\{[^\\n]*\\})?) \\S+$", "$1 0");
    }
}
