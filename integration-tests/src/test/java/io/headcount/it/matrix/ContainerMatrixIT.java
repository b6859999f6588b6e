package io.headcount.it.matrix;

import static io.headcount.it.harness.PrometheusText.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.headcount.it.harness.ClassHistogram;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.harness.TestJdks;
import io.headcount.it.harness.TestJdks.Jdk;
import io.headcount.it.matrix.MatrixRun.Answer;
import io.headcount.it.matrix.MatrixTraffic.Call;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The container matrix: every server of {@link MatrixServer} on every JDK of {@link TestJdks}, each
 * started with the agent in a child JVM and sent {@link MatrixTraffic}, each checked for exact
 * answers, counts, labels and endpoints. The runs start at once, a few at a time, and the checks
 * wait for theirs. Last, {@code docs/compatibility.md} must list exactly what passed.
 */
class ContainerMatrixIT {
    /** App JVMs at a time: start-up is mostly one busy core each, and the machine may have two. */
    private static final int PARALLEL_RUNS = 3;
    private static final String BROWSER = "browser";

    private interface Check {
        void verify(MatrixRun run) throws Exception;
    }

    private record Named(String name, Check check) {
    }

    private static final List<Named> CHECKS = List.of(
            new Named("runs the expected server, namespace and JDK", ContainerMatrixIT::runsWhatItShould),
            new Named("answers every request as it does without the agent", ContainerMatrixIT::answersAsWithout),
            new Named("counts each request once under its endpoint", ContainerMatrixIT::countsEachRequestOnce),
            new Named("counts each request by client and referrer", ContainerMatrixIT::countsByClientAndReferrer),
            new Named("times each request, async ones to their completion", ContainerMatrixIT::timesEachRequest),
            new Named("counts one visitor, once per endpoint", ContainerMatrixIT::countsOneVisitor),
            new Named("reads Tomcat's headers in one pass, on Tomcat only", ContainerMatrixIT::readsTomcatsHeadersInOnePass),
            new Named("reports no failure of its own", ContainerMatrixIT::reportsNoFailure));

    @TestFactory
    Stream<DynamicNode> everyServerOnEveryJdk() {
        List<Jdk> jdks = TestJdks.all();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_RUNS);
        List<CompletableFuture<MatrixRun>> all = new ArrayList<>();
        List<DynamicNode> nodes = new ArrayList<>();
        for (Jdk jdk : jdks) {
            List<DynamicNode> servers = new ArrayList<>();
            for (MatrixServer server : MatrixServer.values()) {
                CompletableFuture<MatrixRun> run = CompletableFuture.supplyAsync(() -> MatrixRun.run(server, jdk), pool);
                all.add(run);
                servers.add(dynamicContainer(server.title, CHECKS.stream().map(named ->
                        dynamicTest(named.name(), check(run, named)))));
            }
            nodes.add(dynamicContainer(jdk.name(), servers));
        }
        nodes.add(dynamicTest("docs/compatibility.md lists every server and JDK that passed", () ->
                compatibilityTableMatches(all.stream().map(CompletableFuture::join).toList(), jdks)));
        return nodes.stream().onClose(pool::shutdownNow);
    }

    private static Executable check(CompletableFuture<MatrixRun> future, Named named) {
        return () -> {
            MatrixRun run = future.join();
            run.requireCompleted();
            try {
                named.check().verify(run);
            } catch (AssertionError e) {
                throw new AssertionError(run.server.title + " on " + run.jdk + ": " + e.getMessage()
                        + "\n" + run.output, e);
            }
            run.passedChecks.add(named.name());
        };
    }

    private static void runsWhatItShould(MatrixRun run) {
        assertEquals(run.server.namespace, run.info.get("namespace"), "servlet namespace");
        assertEquals(String.valueOf(run.jdk.feature()), run.info.get("java"), "JDK the app ran on");
        assertEquals(run.server.flavor == MatrixServer.Flavor.SERVLET, run.info.get("framework").isEmpty(),
                "framework: " + run.info.get("framework"));
    }

    private static void answersAsWithout(MatrixRun run) {
        List<String> wrong = new ArrayList<>();
        for (Answer answer : run.answers) {
            Call call = answer.call();
            if (answer.status() != call.status() || (call.body() != null && !call.body().matches(answer.body()))) {
                wrong.add(call.request() + " answered " + answer.status() + " " + answer.body()
                        + ", not " + call.status() + (call.body() == null ? "" : " " + call.body().text()));
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static void countsEachRequestOnce(MatrixRun run) {
        Map<String, Double> expected = new TreeMap<>();
        for (Call call : run.calls) {
            expected.merge(labels("endpoint", call.endpoint(), "method", call.method(),
                    "status_class", call.statusClass(), "client", BROWSER), 1.0, Double::sum);
        }
        assertSeries(expected, run.scrape, "headcount_requests_total");
    }

    private static void countsByClientAndReferrer(MatrixRun run) {
        double requests = run.calls.size();
        assertSeries(Map.of(labels("client", BROWSER, "browser", "Chrome", "os", "Windows", "device", "desktop"),
                requests), run.scrape, "headcount_requests_by_client_total");
        assertSeries(Map.of(labels("referrer", "direct"), requests), run.scrape, "headcount_requests_by_referrer_total");
    }

    private static void timesEachRequest(MatrixRun run) {
        Map<String, Double> expected = new TreeMap<>();
        for (Call call : run.calls) {
            expected.merge(labels("endpoint", call.endpoint(), "method", call.method(),
                    "status_class", call.statusClass()), 1.0, Double::sum);
        }
        assertSeries(expected, run.scrape, "headcount_request_duration_seconds_count");
        // The app answers these after 0.2 s at the earliest: counted at completion, they cannot be faster.
        for (Call call : run.calls) {
            if (call.path().startsWith("/api/async")) {
                String[] series = {"endpoint", call.endpoint(), "method", "GET", "status_class", call.statusClass()};
                assertEquals(0.0, bucket(run.scrape, series, "0.1"), call.path() + " requests faster than 0.1 s");
                assertEquals(1.0, bucket(run.scrape, series, "+Inf"), call.path() + " requests");
                double seconds = run.scrape.valueOrZero("headcount_request_duration_seconds_sum", series);
                assertTrue(seconds >= 0.2, call.path() + " took " + seconds + " s, less than its 0.2 s delay");
            }
        }
    }

    private static double bucket(PrometheusText scrape, String[] series, String le) {
        String[] withLe = Arrays.copyOf(series, series.length + 2);
        withLe[series.length] = "le";
        withLe[series.length + 1] = le;
        return scrape.valueOrZero("headcount_request_duration_seconds_bucket", withLe);
    }

    private static void countsOneVisitor(MatrixRun run) {
        assertSeries(Map.of(labels("client", BROWSER), 1.0), run.scrape, "headcount_unique_visitors_total");
        Map<String, Double> expected = new TreeMap<>();
        for (Call call : run.calls) {
            expected.put(labels("endpoint", call.endpoint(), "client", BROWSER), 1.0);
        }
        assertSeries(expected, run.scrape, "headcount_unique_visitors_by_endpoint_total");
    }

    private static void readsTomcatsHeadersInOnePass(MatrixRun run) {
        String reader = ClassHistogram.TOMCAT_HEADER_READER;
        assertEquals(run.server.onTomcat(), ClassHistogram.lists(run.classHistogram, reader),
                reader + " among the app's classes with instances:\n" + run.classHistogram);
    }

    private static void reportsNoFailure(MatrixRun run) {
        for (String health : List.of("headcount_agent_errors_total", "headcount_events_dropped_total")) {
            assertEquals(Map.of("{}", 0.0), run.scrape.series(health), health);
        }
        List<String> linkageErrors = run.output.lines()
                .filter(line -> line.contains("LinkageError") || line.contains("NoClassDefFoundError")
                        || line.contains("NoSuchMethodError") || line.contains("[headcount] ERROR")
                        // On Tomcat the headers are read in one pass; a reader that could not be
                        // made would fall back to the servlet API unseen but for this line.
                        || line.contains("cannot read Tomcat's headers")
                        || line.contains("ERROR [headcount]"))
                .toList();
        assertEquals(List.of(), linkageErrors);
    }

    private static void compatibilityTableMatches(List<MatrixRun> runs, List<Jdk> jdks) throws IOException {
        List<CompatibilityDoc.Row> passed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Map<String, double[]> seconds = new TreeMap<>();
        for (MatrixRun run : runs) {
            if (run.passedChecks.size() == CHECKS.size()) {
                passed.add(CompatibilityDoc.Row.of(run));
            } else {
                failed.add(run.server.title + " on " + run.jdk);
            }
            double[] times = seconds.computeIfAbsent(run.jdk.name(), name -> new double[] {Double.MAX_VALUE, 0, 0});
            times[0] = Math.min(times[0], run.startNanos / 1e9);
            times[1] = Math.max(times[1], run.endNanos / 1e9);
            times[2] += run.seconds();
        }
        Path generated = Path.of(System.getProperty("headcount.it.logs", "target/app-logs")).getParent()
                .resolve("compatibility.md");
        Path docs = Path.of(System.getProperty("headcount.docs.dir", "../docs")).resolve("compatibility.md");
        String current = Files.isRegularFile(docs) ? Files.readString(docs) : "";
        Set<Integer> jdksRun = jdks.stream().map(Jdk::feature).collect(Collectors.toCollection(TreeSet::new));
        String expected = CompatibilityDoc.render(passed, jdksRun, CompatibilityDoc.rowsIn(current));
        Files.writeString(generated, expected);
        StringBuilder times = new StringBuilder();
        seconds.forEach((jdk, t) -> times.append(String.format(Locale.ROOT,
                "container matrix on %s: %.1f s wall, %.1f s of app runs%n", jdk, t[1] - t[0], t[2])));
        System.out.print(times);
        Files.writeString(generated.resolveSibling("matrix-times.txt"), times);
        assertEquals(List.of(), failed, "runs that did not pass every check (the table lists only those that did)");
        assertEquals(expected, current, docs.normalize() + " differs from what ran; if the change is meant,"
                + " copy " + generated.toAbsolutePath().normalize() + " over it");
    }

    private static void assertSeries(Map<String, Double> expected, PrometheusText scrape, String name) {
        assertEquals(format(new TreeMap<>(expected)), format(scrape.nonZeroSeries(name)), name);
    }

    private static String format(Map<String, Double> series) {
        StringBuilder out = new StringBuilder();
        series.forEach((labels, value) -> out.append(labels).append(' ').append(value).append('\n'));
        return out.toString();
    }
}
