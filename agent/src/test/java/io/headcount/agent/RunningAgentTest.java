package io.headcount.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.bootstrap.EventQueue;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.config.SettingsLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's background start in process: what a scrape shows for an event, and what close stops. */
class RunningAgentTest {
    private final RunningAgent running = new RunningAgent();

    @AfterEach
    void close() {
        running.close();
    }

    @Test
    void aScrapeShowsTheRequestsOfferedBeforeIt() throws Exception {
        EventQueue queue = new EventQueue(64);
        AgentRuntime.startCounting(SettingsLoader.load("host=127.0.0.1,port=0", Map.of(), Map.of()), queue, running,
                BuildInfo.current());
        int port = running.metricsPort();
        assertNotEquals(0, port);
        queue.offer(event("/shop/api/users/7"));
        queue.offer(event("/shop/api/users/8"));
        // The scrape waits for the worker to count what was offered before it.
        String scrape = scrape(port);
        assertTrue(scrape.contains("headcount_requests_total{client=\"script\",endpoint=\"/shop/api/users/{id}\","
                + "method=\"GET\",status_class=\"2xx\"} 2.0\n"), scrape);
        assertTrue(scrape.contains("headcount_unique_visitors_total{client=\"script\"} 1.0\n"), scrape);
        // The sink's count is the JVM's: other tests' deliberate advice failures are in it too.
        assertTrue(scrape.contains("headcount_agent_errors_total " + (double) HeadcountSink.adviceErrors() + "\n"),
                scrape);
    }

    @Test
    void closingStopsServingMetrics() throws Exception {
        AgentRuntime.startCounting(SettingsLoader.load("host=127.0.0.1,port=0", Map.of(), Map.of()),
                new EventQueue(8), running, BuildInfo.current());
        int port = running.metricsPort();
        scrape(port);
        running.close();
        assertEquals(0, running.metricsPort());
        // The JDK closes a listening socket for good only once its accept thread has left accept():
        // a connect in between still completes, so wait (boundedly) for the refusal.
        assertTrue(refusedWithin(port, 5_000), "the metrics port still accepts connections after close");
    }

    private static boolean refusedWithin(int port, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                Thread.sleep(20);
            } catch (IOException refused) {
                return true;
            }
        }
        return false;
    }

    private static RequestEvent event(String uri) {
        RequestEvent event = new RequestEvent();
        event.method = "GET";
        event.requestUri = uri;
        event.contextPath = "";
        event.userAgent = "curl/8.5.0";
        event.remoteAddr = "203.0.113.9";
        event.status = 200;
        return event;
    }

    private static String scrape(int port) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/metrics").openConnection();
        try (InputStream in = connection.getInputStream()) {
            assertEquals(200, connection.getResponseCode());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }
}
