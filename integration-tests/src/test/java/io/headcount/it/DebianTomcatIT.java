package io.headcount.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.ClassHistogram;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.harness.TestJars;
import io.headcount.it.harness.UserAgents;
import io.headcount.it.matrix.AgentLogLines;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on Debian's own Tomcat 10.1 (package {@code tomcat10}: its jars and its configuration
 * files, not its service), started the way its scripts start it: {@code Bootstrap} with Tomcat's
 * jars on the common class loader and the web app on a loader of its own, unlike the embedded
 * Tomcats of the matrix, where everything is on one class path. The requests are served by Tomcat's own default servlet from the shared
 * {@code servlet-api.jar}; the one-pass header reader is defined beside the request facade on the
 * common loader.
 */
class DebianTomcatIT {
    private static final Path HOME = Path.of("/usr/share/tomcat10");
    private static final String INSTALL = "install Debian's tomcat10 package (as root: apt-get update &&"
            + " apt-get install -y tomcat10; .ci/run does it when it is missing)";

    @Test
    void countsOnTheCommonLoadersTomcatWithItsHeadersReadInOnePass(@TempDir Path base) throws Exception {
        Path bootstrap = HOME.resolve("bin/bootstrap.jar");
        assertTrue(Files.isRegularFile(bootstrap) && Files.isRegularFile(HOME.resolve("etc/web.xml")), INSTALL);
        int port = FreePorts.pick();
        makeBase(base, port);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(),
                "-Xmx256m", "-javaagent:" + TestJars.agent() + "=port=0",
                "-Dcatalina.home=" + HOME, "-Dcatalina.base=" + base, "-Djava.io.tmpdir=" + base.resolve("temp"),
                "-cp", bootstrap + ":" + HOME.resolve("bin/tomcat-juli.jar"),
                "org.apache.catalina.startup.Bootstrap", "start");
        try (AppProcess tomcat = AppProcess.command("debian-tomcat10", command)) {
            String url = "http://127.0.0.1:" + port + "/";
            Http http = new Http();
            awaitServes(http, url, tomcat);
            // The wait's own requests went out as curl-like scripts; these three are the browsers.
            HttpResponse<String> chrome = http.get(url).userAgent(UserAgents.CHROME_WINDOWS)
                    .header("Sec-CH-UA", "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\"")
                    .header("Sec-CH-UA-Mobile", "?0").header("Sec-CH-UA-Platform", "\"macOS\"")
                    .referer("https://news.example.org/today").header("Sec-GPC", "1").send();
            assertEquals(200, chrome.statusCode(), tomcat.output());
            assertTrue(chrome.body().contains("headcount on Debian's Tomcat"), chrome.body());
            assertEquals(200, http.get(url).userAgent(UserAgents.FIREFOX_LINUX).header("DNT", "1")
                    .header("Authorization", "Bearer not-read").send().statusCode());
            assertEquals(200, http.get(url).userAgent(UserAgents.FIREFOX_LINUX).send().statusCode());

            PrometheusText scrape = new MetricsEndpoint(AgentLogLines.metricsPort(tomcat))
                    .scrapeUntil(text -> text.valueOrZero("headcount_requests_by_client_total", "client", "browser",
                            "browser", "Firefox", "device", "desktop", "os", "Linux") == 2.0
                            && text.sum("headcount_requests_by_client_total") > 2.0);
            assertEquals(1.0, scrape.valueOrZero("headcount_requests_by_client_total", "client", "browser",
                    "browser", "Chrome", "device", "desktop", "os", "macOS"), "the hints decide the OS");
            assertEquals(2.0, scrape.valueOrZero("headcount_requests_opted_out_total"), "Sec-GPC and DNT");
            assertEquals(1.0, scrape.valueOrZero("headcount_requests_by_auth_total", "auth", "authenticated"));
            assertEquals(1.0, scrape.valueOrZero("headcount_requests_by_referrer_total", "referrer",
                    "news.example.org"));
            assertEquals(Map.of("{}", 0.0), scrape.series("headcount_agent_errors_total"), tomcat.output());
            assertTrue(ClassHistogram.lists(ClassHistogram.of(java, tomcat.pid()), ClassHistogram.TOMCAT_HEADER_READER),
                    "the one-pass reader is not in use on Debian's Tomcat\n" + tomcat.output());
        }
    }

    /** A CATALINA_BASE of Debian's own configuration files, but for a server.xml on the test's port. */
    private static void makeBase(Path base, int port) throws IOException {
        for (String dir : List.of("conf", "logs", "temp", "work", "webapps/ROOT")) {
            Files.createDirectories(base.resolve(dir));
        }
        for (String file : List.of("catalina.properties", "context.xml", "logging.properties", "web.xml")) {
            Files.copy(HOME.resolve("etc").resolve(file), base.resolve("conf").resolve(file));
        }
        Files.writeString(base.resolve("conf/server.xml"), "<Server port=\"-1\" shutdown=\"SHUTDOWN\">\n"
                + "  <Service name=\"Catalina\">\n"
                + "    <Connector address=\"127.0.0.1\" port=\"" + port + "\" protocol=\"HTTP/1.1\"/>\n"
                + "    <Engine name=\"Catalina\" defaultHost=\"localhost\">\n"
                + "      <Host name=\"localhost\" appBase=\"webapps\" unpackWARs=\"false\" autoDeploy=\"false\"/>\n"
                + "    </Engine>\n"
                + "  </Service>\n"
                + "</Server>\n", StandardCharsets.UTF_8);
        Files.writeString(base.resolve("webapps/ROOT/index.html"),
                "<!doctype html><title>test</title><p>headcount on Debian's Tomcat</p>\n", StandardCharsets.UTF_8);
    }

    private static void awaitServes(Http http, String url, AppProcess tomcat) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.get(url).send().statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // Connection refused until the connector starts.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Debian's Tomcat did not serve " + url + "\n" + tomcat.output());
    }
}
