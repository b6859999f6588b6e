package io.headcount.it;

import static io.headcount.it.harness.PrometheusText.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, found 4 and 5, replayed on the test app (Tomcat 10.1) with the default settings
 * ({@code endpoint.max=200}): spellings of one path that the container resolves to the same servlet,
 * methods that the default servlet answers on random paths, and excluded paths that dot segments or
 * parameters lead away from; and paths longer than an event keeps, whose dot segments past the
 * cut lead elsewhere (an attacker's probe of 2026-12-06). Requests go out on a plain socket, so the path reaches the server
 * exactly as written here (an HTTP client could normalize it first).
 */
class HostilePathsIT {
    private static final int SPELLINGS = 200;
    private static final int RANDOM_PATHS = 40;
    private static final List<String> ODD_METHODS = List.of("OPTIONS", "PUT", "DELETE", "PATCH", "BREW");
    /** Paths longer than the 1,024 characters an event keeps, each with its own first segment. */
    private static final int LONG_PATHS = 20;

    private static AppProcess app;
    private static PrometheusText scrape;
    /** "METHOD status" -> how many requests were answered so, to check the app answered as expected. */
    private static final Map<String, Integer> answers = new TreeMap<>();
    private static int sent;

    @BeforeAll
    static void attackAndScrape() {
        int metricsPort = FreePorts.pick();
        app = AppProcess.named("hostile-paths")
                .agent("port=" + metricsPort)
                .appArgs("--http-server-port", "0")
                .start();
        // Found 4: 200 spellings of /api/users, then more spellings of two of its paths.
        for (int n = 0; n < SPELLINGS; n++) {
            send("GET", "/r" + n + "/../api/users");
        }
        for (String path : List.of("/%61pi/users", "/api/./users", "/api;x=1/users", "//api//users", "/api/users/%31",
                "/api/users/%34%32")) {
            send("GET", path);
        }
        // Found 4: the default servlet's answers to other methods on random paths.
        for (int n = 0; n < RANDOM_PATHS; n++) {
            for (String method : ODD_METHODS) {
                send(method, "/random-" + method.toLowerCase() + "-" + n);
            }
        }
        // The app's own endpoints after all that.
        send("GET", "/api/orders");
        send("POST", "/api/orders");
        // Found 5: excluded paths that lead away from themselves are the app's requests.
        send("GET", "/health/../api/users/1");
        send("GET", "/health/%2e%2e/api/users/1");
        send("GET", "/metrics;/../api/orders");
        // Paths longer than an event keeps, whose dot segments past the cut lead elsewhere: away from
        // an excluded path, or to the app's endpoints from made-up segments.
        send("GET", "/health/" + "x/".repeat(400) + "../".repeat(401) + "api/users/1");
        for (int n = 0; n < LONG_PATHS; n++) {
            send("GET", "/" + ("junk" + n + "/").repeat(150) + "../".repeat(150) + "api/users");
        }
        send("GET", "/api/payments/refund////" + "y/../".repeat(205) + "../../../api/orders");
        // Still excluded: what resolves to an excluded path.
        send("GET", "/api/../health");
        send("GET", "/%68ealth");
        scrape = new MetricsEndpoint(metricsPort)
                .scrapeUntil(s -> s.sum("headcount_requests_total") >= sent - 2);
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theAppAnsweredAsTomcatDoes() {
        Map<String, Integer> expected = new TreeMap<>();
        expected.put("GET 200", SPELLINGS + 6 + 1 + 3 + 2 + 1 + LONG_PATHS + 1);
        expected.put("POST 201", 1);
        expected.put("OPTIONS 200", RANDOM_PATHS);
        expected.put("PUT 405", RANDOM_PATHS);
        expected.put("DELETE 405", RANDOM_PATHS);
        expected.put("PATCH 501", RANDOM_PATHS); // Servlet 6.0's HttpServlet has no doPatch
        expected.put("BREW 501", RANDOM_PATHS);
        assertEquals(expected, answers);
    }

    @Test
    void spellingsAndTheDefaultServletMakeNoNewEndpoint() {
        Map<String, Double> expected = new TreeMap<>();
        expected.put(request("/api/users", "GET", "2xx"), SPELLINGS + 4.0 + LONG_PATHS);
        expected.put(request("/api/users/{id}", "GET", "2xx"), 2.0 + 2.0 + 1.0);
        expected.put(request("/api/orders", "GET", "2xx"), 1.0 + 1.0 + 1.0);
        expected.put(request("/api/orders", "POST", "2xx"), 1.0);
        expected.put(request("not_found", "OPTIONS", "2xx"), (double) RANDOM_PATHS);
        expected.put(request("not_found", "PUT", "4xx"), (double) RANDOM_PATHS);
        expected.put(request("not_found", "DELETE", "4xx"), (double) RANDOM_PATHS);
        expected.put(request("not_found", "PATCH", "5xx"), (double) RANDOM_PATHS);
        expected.put(request("not_found", "OTHER", "5xx"), (double) RANDOM_PATHS);
        assertEquals(expected, scrape.nonZeroSeries("headcount_requests_total"));
        assertEquals(List.of("/api/orders", "/api/users", "/api/users/{id}", "not_found"),
                new ArrayList<>(new TreeSet<>(scrape.labelValues("headcount_requests_total", "endpoint"))));
        assertEquals(List.of("/api/orders", "/api/users", "/api/users/{id}", "not_found"), new ArrayList<>(
                new TreeSet<>(scrape.labelValues("headcount_request_duration_seconds_count", "endpoint"))));
    }

    @Test
    void everyRequestButTheExcludedOnesIsCounted() {
        assertEquals(sent - 2.0, scrape.sum("headcount_requests_total"));
        assertEquals(Map.of("{reason=\"path\"}", 2.0), scrape.nonZeroSeries("headcount_requests_excluded_total"));
    }

    private static String request(String endpoint, String method, String statusClass) {
        return labels("endpoint", endpoint, "method", method, "status_class", statusClass, "client", "script");
    }

    /** One request on its own connection, the path as written; records the status it got. */
    private static void send(String method, String path) {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String body = method.equals("POST") ? "{\"items\":2}" : "";
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: curl/8.5.0\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String statusLine = in.readLine();
            String status = statusLine == null ? "none" : statusLine.split(" ")[1];
            answers.merge(method + " " + status, 1, Integer::sum);
            sent++;
            while (in.readLine() != null) {
                // Read to the end, so that the server finishes the exchange.
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        }
    }
}
