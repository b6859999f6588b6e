package io.headcount.it.matrix;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.ClassHistogram;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.harness.TestJars;
import io.headcount.it.harness.TestJdks.Jdk;
import io.headcount.it.harness.UserAgents;
import io.headcount.it.matrix.MatrixTraffic.Call;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server of the matrix on one JDK, with the agent: started, sent {@link MatrixTraffic}, scraped
 * once every request has been counted, and stopped. Never throws: what went wrong is kept for the
 * tests to report, with the app's output.
 */
final class MatrixRun {
    static final String CLIENT_ADDRESS = "203.0.113.10";
    private static final Pattern INFO = Pattern.compile("^headcount-matrix-app info\\|(.*)$");

    /** What a request got back. */
    record Answer(Call call, int status, String body) {
    }

    final MatrixServer server;
    final Jdk jdk;
    final List<Call> calls;
    /** What the app said it runs on: server, servlet, namespace, java, framework. */
    final Map<String, String> info = new LinkedHashMap<>();
    final List<Answer> answers = new ArrayList<>();
    final Set<String> passedChecks = new HashSet<>();
    PrometheusText scrape;
    /** {@code jcmd GC.class_histogram} of the app once it was scraped: the classes with instances. */
    String classHistogram = "";
    String output = "";
    Throwable failure;
    long startNanos;
    long endNanos;

    private MatrixRun(MatrixServer server, Jdk jdk) {
        this.server = server;
        this.jdk = jdk;
        this.calls = MatrixTraffic.of(server.flavor);
    }

    static MatrixRun run(MatrixServer server, Jdk jdk) {
        MatrixRun run = new MatrixRun(server, jdk);
        run.startNanos = System.nanoTime();
        AppProcess app = null;
        try {
            app = AppProcess.named("matrix-" + server.module + "-java" + jdk.feature())
                    .java(jdk.java())
                    .jar(TestJars.matrixApp(server.module))
                    .agent("port=0")
                    .start();
            run.readInfo(app);
            run.send(app);
            // The agent opens its endpoint only once the app has served (or after a few seconds).
            run.scrape = new MetricsEndpoint(AgentLogLines.metricsPort(app)).scrapeUntil(run::allCounted);
            run.classHistogram = ClassHistogram.of(jdk.java(), app.pid());
        } catch (Throwable t) {
            run.failure = t;
        } finally {
            if (app != null) {
                run.output = app.output();
                app.close();
            }
            run.endNanos = System.nanoTime();
        }
        return run;
    }

    /** Fails with the cause and the app's output when the run itself could not be done. */
    void requireCompleted() {
        if (failure != null) {
            throw new AssertionError(server.title + " on " + jdk + " did not run: " + failure + "\n" + output, failure);
        }
    }

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    private void readInfo(AppProcess app) {
        for (String line : app.stdoutLines()) {
            Matcher matcher = INFO.matcher(line);
            if (matcher.matches()) {
                for (String pair : matcher.group(1).split("\\|")) {
                    int equals = pair.indexOf('=');
                    info.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
        }
    }

    private void send(AppProcess app) {
        Http http = new Http();
        for (Call call : calls) {
            Http.Request request = http.request(call.method(), app.url(call.path()))
                    .userAgent(UserAgents.CHROME_WINDOWS)
                    .forwardedFor(CLIENT_ADDRESS);
            if (call.apiKey()) {
                request.header(MatrixTraffic.API_KEY_HEADER, "matrix");
            }
            HttpResponse<String> response = request.send();
            answers.add(new Answer(call, response.statusCode(), response.body()));
        }
    }

    /** True once every counter has at least what the traffic adds; exact values are checked after. */
    private boolean allCounted(PrometheusText s) {
        long endpoints = calls.stream().map(Call::endpoint).distinct().count();
        return s.sum("headcount_requests_total") >= calls.size()
                && s.sum("headcount_requests_by_client_total") >= calls.size()
                && s.sum("headcount_requests_by_referrer_total") >= calls.size()
                && s.sum("headcount_request_duration_seconds_count") >= calls.size()
                && s.sum("headcount_unique_visitors_total") >= 1
                && s.sum("headcount_unique_visitors_by_endpoint_total") >= endpoints;
    }
}
