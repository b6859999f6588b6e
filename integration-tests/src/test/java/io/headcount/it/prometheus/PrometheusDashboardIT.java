package io.headcount.it.prometheus;

import static io.headcount.it.harness.PrometheusText.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.FreePorts;
import io.headcount.it.harness.Http;
import io.headcount.it.harness.JsonReader;
import io.headcount.it.harness.MetricsEndpoint;
import io.headcount.it.harness.PrometheusServer;
import io.headcount.it.harness.PrometheusServer.Sample;
import io.headcount.it.harness.PrometheusText;
import io.headcount.it.harness.UserAgents;
import io.headcount.testsupport.RedisServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard, the rules and the PromQL of docs/metrics.md, evaluated by a real Prometheus.
 *
 * <p>The test app runs with the agent in Redis mode ({@code referrer.max=2}, so that the referrer cap
 * is reached); Prometheus scrapes it every second with the rules loaded. One round of known traffic
 * is sent from five visitors and a bot; once Prometheus has scraped it, the round is sent again by
 * the same visitors and by five new ones. A counter series thus exists before its increase (as
 * {@code rate()} and {@code increase()} need), every request count is 3 times the round's and every
 * visitor count 2 times. Then every expression is evaluated through {@code /api/v1/query} and checked
 * against what the traffic implies: exact for gauges, counts and health counters; for {@code rate()}
 * the label sets and a value above 0; for {@code increase()} the label sets and a value between the
 * second phase's increase and 1.5 times the total (Prometheus extrapolates to the window's edges).
 */
class PrometheusDashboardIT {
    /**
     * Contract metrics that other branches add and this one does not serve yet. An expression that
     * reads one of them (directly or through a recording rule) must return nothing while the agent does
     * not serve it, and its real expectation once it does. Empty this list when they are merged.
     */
    static final List<String> NOT_YET_SERVED = List.of();

    private static final String JOB = "headcount-it";
    /** What the dashboard's time variables stand for here: windows that hold the whole test. */
    private static final Map<String, String> GRAFANA_VARIABLES = Map.of(
            "$__rate_interval", "1m", "$__interval", "1m", "$__range", "1h");
    private static final long EVALUATION_LIMIT_MILLIS = 20_000;
    private static final String SELF = "(the app itself)";
    /**
     * The daily bars' expressions, evaluated as Grafana's 1-day step does: at today's midnight UTC,
     * which covers the whole test unless it runs across midnight.
     */
    private static final List<String> DAILY = PromQlSources.dailyExpressions();
    private static final Instant TODAY = Instant.now().truncatedTo(ChronoUnit.DAYS);

    /** One request of the round, and the labels the contract gives it. */
    private record Visit(int visitor, String userAgent, String method, String path, String referer, int status,
                         String endpoint, String client, String browser, String os, String device, String referrer) {
        String label(String name) {
            switch (name) {
                case "endpoint": return endpoint;
                case "method": return method;
                case "status_class": return status / 100 + "xx";
                case "client": return client;
                case "browser": return browser;
                case "os": return os;
                case "device": return device;
                case "referrer": return referrer;
                default: throw new IllegalArgumentException(name);
            }
        }
    }

    /** The round: visitor 6 is a bot (never a visitor); the third external referrer is past referrer.max=2. */
    private static final List<Visit> ROUND = List.of(
            new Visit(1, UserAgents.CHROME_WINDOWS, "GET", "/api/users", "https://news.ycombinator.com/item?id=1", 200,
                    "/api/users", "browser", "Chrome", "Windows", "desktop", "news.ycombinator.com"),
            new Visit(1, UserAgents.CHROME_WINDOWS, "GET", "/api/users/42", "https://www.google.com/search?q=headcount", 200,
                    "/api/users/{id}", "browser", "Chrome", "Windows", "desktop", "google.com"),
            new Visit(2, UserAgents.SAFARI_IPHONE, "GET", "/api/users/7", "https://duckduckgo.com/", 200,
                    "/api/users/{id}", "browser", "Safari", "iOS", "mobile", "other"),
            new Visit(3, UserAgents.FIREFOX_LINUX, "GET", "/shop/products/3", null, 200,
                    "/shop/products/{id}", "browser", "Firefox", "Linux", "desktop", "direct"),
            new Visit(3, UserAgents.FIREFOX_LINUX, "GET", "/no/such/page", SELF, 404,
                    "not_found", "browser", "Firefox", "Linux", "desktop", "internal"),
            new Visit(4, UserAgents.CURL, "GET", "/api/users", null, 200,
                    "/api/users", "script", "curl", "unknown", "script", "direct"),
            new Visit(5, UserAgents.EDGE_WINDOWS, "POST", "/api/orders", null, 201,
                    "/api/orders", "browser", "Edge", "Windows", "desktop", "direct"),
            new Visit(5, UserAgents.EDGE_WINDOWS, "GET", "/api/boom", null, 500,
                    "/api/boom", "browser", "Edge", "Windows", "desktop", "direct"),
            new Visit(6, UserAgents.GOOGLEBOT, "GET", "/index.html", null, 200,
                    "/index.html", "bot", "bot", "unknown", "bot", "direct"));

    private static RedisServerProcess redis;
    private static AppProcess app;
    private static PrometheusServer prometheus;
    private static String instance;
    private static String scrapeText;
    private static PrometheusText scrape;
    private static final List<String> report = new ArrayList<>();

    @BeforeAll
    static void trafficScrapedByPrometheus() throws Exception {
        PrometheusServer.binary("prometheus");
        PrometheusServer.binary("promtool");
        redis = RedisServerProcess.start();
        int metricsPort = FreePorts.pick();
        instance = "127.0.0.1:" + metricsPort;
        app = AppProcess.named("prometheus-dashboard")
                .agent("host=127.0.0.1,port=" + metricsPort + ",redis.url=" + redis.url() + ",referrer.max=2")
                .start();
        MetricsEndpoint metrics = new MetricsEndpoint(metricsPort);
        Http http = new Http();
        // Without a request the endpoint starts once the app is quiet; Redis must answer before the traffic.
        assertEquals(1.0, metrics.scrapeUntil(text -> text.valueOrZero("headcount_redis_up") == 1.0)
                .valueOrZero("headcount_redis_up"), "Redis up before the traffic\n" + app.output());

        prometheus = PrometheusServer.start(JOB, instance, PromQlSources.rulesFile());
        awaitInPrometheus("up{job=\"" + JOB + "\"}", 1);

        sendRound(http, 0);
        awaitInPrometheus("sum(headcount_requests_total{job=\"" + JOB + "\"})", ROUND.size());
        sendRound(http, 0);
        sendRound(http, 1);
        awaitInPrometheus("sum(headcount_requests_total{job=\"" + JOB + "\"})", 3 * ROUND.size());
        awaitInPrometheus("sum(headcount_unique_visitors_total{job=\"" + JOB + "\"})", total(visitors(2, v -> true)));
        // Some seconds of samples after the last increase, so that increase()'s extrapolation to the
        // window's end stays a small part of the sampled interval.
        TimeUnit.SECONDS.sleep(8);

        scrapeText = http.get(metrics.url()).send().body();
        scrape = PrometheusText.parse(scrapeText);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (app != null) {
            app.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (!report.isEmpty()) {
            Path file = Path.of(System.getProperty("headcount.it.logs", "target/app-logs"))
                    .resolve("prometheus-expressions.md");
            Files.write(file, report, StandardCharsets.UTF_8);
        }
    }

    /** The baseline: the agent's own scrape holds what the traffic implies before Prometheus reads it. */
    @Test
    void theAgentCountedTheTraffic() {
        assertEquals(requests(3, v -> true, "endpoint", "method", "status_class", "client"),
                scrape.sumBy("headcount_requests_total", "endpoint", "method", "status_class", "client"));
        assertEquals(visitors(2, v -> true, "client"), scrape.sumBy("headcount_unique_visitors_total", "client"));
        assertEquals(visitors(2, v -> true, "endpoint", "client"),
                scrape.sumBy("headcount_unique_visitors_by_endpoint_total", "endpoint", "client"));
        assertEquals(1.0, scrape.valueOrZero("headcount_label_cap_reached", "label", "referrer"));
        assertEquals(0.0, scrape.valueOrZero("headcount_label_cap_reached", "label", "endpoint"));
        assertTrue(scrape.series("headcount_label_cap_reached").containsKey(labels("label", "endpoint")));
    }

    @Test
    void everyDashboardExpressionReturnsWhatTheTrafficImplies() throws InterruptedException {
        Map<String, Expectation> expected = dashboardExpectations();
        List<String> expressions = PromQlSources.dashboardExpressions();
        expressions.addAll(PromQlSources.variableExpressions());
        assertEachReturnsWhatIsImplied("dashboard", expressions, expression -> expected.get(expression));
    }

    /**
     * The daily bars' window, shown on a metric this branch serves: evaluated at today's midnight
     * with {@code [1d] offset -1d}, it holds all of today's samples, so a gauge's max is its current value.
     */
    @Test
    void theDailyBarsWindowAtMidnightCoversTheDayAfterIt() {
        assertEquals(List.of("sum by (client) (max_over_time(job_client:headcount_unique_visitors_today:max{job=~\"$job\"}[1d] offset -1d))"),
                DAILY);
        List<Sample> samples = prometheus.query(
                "sum by (client) (max_over_time(headcount_unique_visitors_total{job=\"" + JOB + "\"}[1d] offset -1d))", TODAY);
        assertEquals(visitors(2, v -> true, "client"), byLabels(samples));
    }

    @Test
    void everyRuleIsLoadedHealthyAndReturnsWhatTheTrafficImplies() throws InterruptedException {
        Map<String, String> rules = new LinkedHashMap<>();
        Map<String, String> problems = new TreeMap<>();
        Map<String, String> alertStates = new TreeMap<>();
        for (Object group : prometheus.ruleGroups()) {
            for (Object item : JsonReader.array(JsonReader.object(group).get("rules"))) {
                Map<String, Object> rule = JsonReader.object(item);
                String name = (String) rule.get("name");
                rules.put(name, (String) rule.get("query"));
                if (!"ok".equals(rule.get("health"))) {
                    problems.put(name, rule.get("health") + ": " + rule.get("lastError"));
                }
                if ("alerting".equals(rule.get("type"))) {
                    alertStates.put(name, rule.get("state") + " " + JsonReader.array(rule.get("alerts")).stream()
                            .map(alert -> JsonReader.object(JsonReader.object(alert).get("labels")).get("label"))
                            .collect(Collectors.toList()));
                }
            }
        }
        assertEquals(PromQlSources.declaredRules(), rules.size(), "Prometheus loaded every rule of the file: " + rules);
        assertEquals(Map.of(), problems, "rules Prometheus could not evaluate");
        assertEquals(Map.of(
                "HeadcountAgentErrors", "inactive []",
                "HeadcountEventsDropped", "inactive []",
                "HeadcountLabelCapReached", "firing [referrer]",
                "HeadcountRedisDown", "inactive []",
                "HeadcountVisitsInexact", "inactive []"), alertStates);

        Map<String, Expectation> expected = ruleExpectations();
        Map<String, String> nameOf = new LinkedHashMap<>();
        rules.forEach((name, query) -> nameOf.put(query, name));
        assertEachReturnsWhatIsImplied("rules", new ArrayList<>(rules.values()), query -> expected.get(nameOf.get(query)));
    }

    @Test
    void everyMetricsDocExpressionReturnsWhatTheTrafficImplies() throws InterruptedException {
        List<String> expressions = PromQlSources.metricsDocExpressions();
        assertFalse(expressions.isEmpty(), "docs/metrics.md has ```promql blocks");
        assertEachReturnsWhatIsImplied("docs/metrics.md", expressions, metricsDocExpectations()::get);
    }

    @Test
    void promtoolPassesTheRulesAndARealScrapeWithoutWarnings() throws Exception {
        String rules = promtool(null, "check", "rules", PromQlSources.rulesFile().toString());
        assertTrue(rules.contains("SUCCESS: " + PromQlSources.declaredRules() + " rules found"), rules);
        assertFalse(rules.toLowerCase().contains("warn"), rules);
        assertEquals("", promtool(scrapeText, "check", "metrics"), "promtool check metrics on the agent's scrape");
    }

    @Test
    void theDashboardIsImportableAsIs() {
        Map<String, Object> dashboard = PromQlSources.dashboard();
        Map<String, Object> input = JsonReader.object(JsonReader.array(dashboard.get("__inputs")).get(0));
        assertEquals(List.of("DS_PROMETHEUS", "datasource", "prometheus"),
                List.of(input.get("name"), input.get("type"), input.get("pluginId")));
        assertTrue(((Double) dashboard.get("schemaVersion")) >= 36, "schemaVersion");

        Map<String, String> variables = new LinkedHashMap<>();
        for (Object item : JsonReader.array(JsonReader.object(dashboard.get("templating")).get("list"))) {
            Map<String, Object> variable = JsonReader.object(item);
            variables.put((String) variable.get("name"), (String) variable.get("type"));
        }
        assertEquals(Map.of("datasource", "datasource", "job", "query", "instance", "query"), variables);
        Map<String, Object> datasource = JsonReader.object(JsonReader.array(
                JsonReader.object(dashboard.get("templating")).get("list")).get(0));
        assertEquals("prometheus", datasource.get("query"));
        assertEquals("${DS_PROMETHEUS}", JsonReader.object(datasource.get("current")).get("value"),
                "the data source chosen on import is the default");

        Set<Object> ids = new HashSet<>();
        int queried = 0;
        for (Map<String, Object> panel : PromQlSources.panels(dashboard)) {
            String title = (String) panel.get("title");
            assertTrue(ids.add(panel.get("id")), "unique id: " + title);
            assertTrue(panel.get("gridPos") != null, "gridPos: " + title);
            if ("row".equals(panel.get("type"))) {
                continue;
            }
            queried++;
            assertDataSource(panel.get("datasource"), title);
            assertFalse(((String) panel.get("description")).isBlank(), "description: " + title);
            List<Object> targets = JsonReader.array(panel.get("targets"));
            assertFalse(targets.isEmpty(), "a target: " + title);
            for (Object item : targets) {
                Map<String, Object> target = JsonReader.object(item);
                assertDataSource(target.get("datasource"), title);
                assertFalse(((String) target.get("expr")).isBlank(), "an expr: " + title);
            }
        }
        assertTrue(queried >= 20, "panels with queries: " + queried);
    }

    private static void assertDataSource(Object value, String title) {
        Map<String, Object> datasource = JsonReader.object(value);
        assertEquals("prometheus", datasource.get("type"), title);
        assertEquals("${datasource}", datasource.get("uid"), title);
    }

    // --- Expectations ---------------------------------------------------------------------------

    private static Map<String, Expectation> dashboardExpectations() {
        Map<String, Expectation> e = new LinkedHashMap<>();
        String sel = "{job=~\"$job\",instance=~\"$instance\"";
        e.put("sum(max by (client) (headcount_unique_visitors_today{job=~\"$job\"}))", counted(Map.of("{}", total(visitors(2, v -> true)))));
        e.put("max by (client) (headcount_unique_visitors_today{job=~\"$job\"})", counted(visitors(2, v -> true, "client")));
        e.put("sum by (client) (max_over_time(job_client:headcount_unique_visitors_today:max{job=~\"$job\"}[1d] offset -1d))",
                counted(visitors(2, v -> true, "client")));
        e.put("topk(20, sum by (endpoint) (max by (endpoint, client) (headcount_unique_visitors_today_by_endpoint{job=~\"$job\"})))",
                counted(visitors(2, v -> true, "endpoint")));
        e.put("topk(20, max by (endpoint, client) (headcount_unique_visitors_today_by_endpoint{job=~\"$job\"}))",
                counted(visitors(2, v -> true, "endpoint", "client")));
        String rate = "instance:headcount_requests:rate5m" + sel + "}";
        e.put("topk(10, sum by (endpoint) (" + rate + "))", positive(requests(1, v -> true, "endpoint").keySet()));
        for (String label : List.of("status_class", "method", "client")) {
            e.put("sum by (" + label + ") (" + rate + ")", positive(requests(1, v -> true, label).keySet()));
        }
        Predicate<Visit> browsers = v -> v.client().equals("browser");
        String byClient = "headcount_requests_by_client_total" + sel;
        e.put("sum by (browser) (increase(" + byClient + ",client=\"browser\"}[$__range]))", increase(browsers, "browser"));
        e.put("sum by (os) (increase(" + byClient + ",client=\"browser\"}[$__range]))", increase(browsers, "os"));
        e.put("sum by (device) (increase(" + byClient + "}[$__range]))", increase(v -> true, "device"));
        e.put("topk(10, sum by (referrer) (increase(headcount_requests_by_referrer_total" + sel
                        + ",referrer!~\"direct|internal\"}[$__range])))",
                increase(v -> !v.referrer().equals("direct") && !v.referrer().equals("internal"), "referrer"));
        String buckets = "job_instance_endpoint_le:headcount_request_duration_seconds_bucket:rate5m" + sel + "}";
        for (String quantile : List.of("0.5", "0.9", "0.99")) {
            e.put("histogram_quantile(" + quantile + ", sum by (endpoint, le) (" + buckets + "))",
                    positive(requests(1, v -> true, "endpoint").keySet()));
        }
        e.put("min by (instance) (headcount_redis_up" + sel + "})", exact(Map.of("{}", 1.0)));
        for (String counter : List.of("headcount_redis_errors_total", "headcount_events_dropped_total",
                "headcount_agent_errors_total", "headcount_visitors_inexact_total", "headcount_visitors_untracked_total")) {
            e.put("sum by (instance) (increase(" + counter + sel + "}[$__rate_interval]))", exact(Map.of("{}", 0.0)));
        }
        e.put("sum by (instance) (headcount_visitors_pending" + sel + "})", exact(Map.of("{}", 0.0)));
        e.put("max by (instance, label) (headcount_label_cap_reached" + sel + "})",
                exact(Map.of(labels("label", "endpoint"), 0.0, labels("label", "referrer"), 1.0)));
        e.put("count by (version, revision) (headcount_build_info" + sel + "})", oneSeriesLabelled("version", "revision"));
        e.put("group by (job) (headcount_requests_total)", exact(Map.of("{}", 1.0)));
        e.put("group by (instance) (headcount_requests_total{job=~\"$job\"})", exact(Map.of("{}", 1.0)));
        return e;
    }

    private static Map<String, Expectation> ruleExpectations() {
        Map<String, Expectation> e = new LinkedHashMap<>();
        e.put("instance:headcount_requests:rate5m",
                positive(requests(1, v -> true, "endpoint", "method", "status_class", "client").keySet()));
        e.put("job_instance_endpoint_le:headcount_request_duration_seconds_bucket:rate5m", bucketRates());
        e.put("job_client:headcount_unique_visitors_today:max", counted(visitors(2, v -> true, "client")));
        e.put("HeadcountRedisDown", nothing());
        e.put("HeadcountEventsDropped", nothing());
        e.put("HeadcountVisitsInexact", nothing());
        e.put("HeadcountLabelCapReached", exact(Map.of(labels("label", "referrer"), 1.0)));
        e.put("HeadcountAgentErrors", nothing());
        return e;
    }

    private static Map<String, Expectation> metricsDocExpectations() {
        Map<String, Expectation> e = new LinkedHashMap<>();
        e.put("sum(max by (client) (headcount_unique_visitors_today))", counted(Map.of("{}", total(visitors(2, v -> true)))));
        e.put("max(headcount_unique_visitors_today{client=\"browser\"})",
                counted(Map.of("{}", total(visitors(2, v -> v.client().equals("browser"))))));
        e.put("sum by (endpoint) (max by (endpoint, client) (headcount_unique_visitors_today_by_endpoint))",
                counted(visitors(2, v -> true, "endpoint")));
        e.put("sum(max by (client) (max_over_time(headcount_unique_visitors_today[1d])))",
                counted(Map.of("{}", total(visitors(2, v -> true)))));
        e.put("sum(rate(headcount_unique_visitors_total[5m]))", positive(Set.of("{}")));
        e.put("sum by (endpoint) (increase(headcount_unique_visitors_by_endpoint_total[1h]))",
                increase(visitors(1, v -> true, "endpoint"), visitors(2, v -> true, "endpoint")));
        // Visit depth is added once a visitor day has ended, which no run of this test waits for.
        Expectation noDayEnded = new Expectation("nothing: no visitor day ended during the test",
                samples -> samples.isEmpty() ? null : "returned series although no day ended");
        e.put("sum by (band) (increase(headcount_visitors_by_request_count_total[1d]))", noDayEnded);
        e.put("sum(increase(headcount_visitors_by_request_count_total{client=\"browser\",band=\"1\"}[1d]))"
                + " / sum(increase(headcount_visitors_by_request_count_total{client=\"browser\"}[1d]))", noDayEnded);
        return e;
    }

    // --- Evaluation -----------------------------------------------------------------------------

    /**
     * Evaluates each expression until its expectation holds (rules and scrapes run every second) or
     * the time is up, then fails once with every expression that did not return what was implied.
     */
    private void assertEachReturnsWhatIsImplied(String source, List<String> expressions,
                                                Function<String, Expectation> expectations) throws InterruptedException {
        Map<String, String> recorded = recordingRules();
        List<String> failures = new ArrayList<>();
        long deadline = System.currentTimeMillis() + EVALUATION_LIMIT_MILLIS;
        for (String expression : expressions) {
            Expectation expectation = expectations.apply(expression);
            if (expectation == null) {
                failures.add("no expectation for " + expression + " (add one to " + getClass().getSimpleName() + ")");
                continue;
            }
            String absent = notYetServed(expression, recorded);
            if (absent != null) {
                expectation = new Expectation("nothing: " + absent + " is NOT_YET_SERVED", samples ->
                        samples.isEmpty() ? null : "returned series although " + absent + " is not served");
            }
            String query = substitute(expression);
            Instant at = DAILY.contains(expression) ? TODAY : null;
            List<Sample> result;
            String problem;
            while (true) {
                result = prometheus.query(query, at);
                problem = expectation.check().apply(result);
                if (problem == null || System.currentTimeMillis() > deadline) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
            report.add("| " + source + " | `" + expression.replace("|", "\\|") + "`" + (at == null ? "" : " at " + at)
                    + " | " + describe(result) + " | "
                    + expectation.implied() + " | " + (problem == null ? "ok" : "FAIL") + " |");
            if (problem != null) {
                failures.add(expression + "\n    returned " + describe(result) + "\n    implied  " + expectation.implied()
                        + "\n    " + problem);
            }
        }
        assertEquals("", String.join("\n", failures), source + ": expressions that did not return what the traffic implies");
    }

    /** The Grafana variables of the dashboard replaced by what they stand for in this test. */
    private static String substitute(String expression) {
        String query = expression.replace("${job}", JOB).replace("$job", JOB)
                .replace("${instance}", instance).replace("$instance", instance);
        for (Map.Entry<String, String> variable : GRAFANA_VARIABLES.entrySet()) {
            query = query.replace(variable.getKey(), variable.getValue());
        }
        assertFalse(query.contains("$"), "a Grafana variable the test does not know: " + expression);
        return query;
    }

    /** The not-yet-served metric the expression reads, directly or through a recording rule, or null. */
    private static String notYetServed(String expression, Map<String, String> recorded) {
        for (String name : NOT_YET_SERVED) {
            if (!scrape.names().contains(name) && reads(expression, name)) {
                return name;
            }
        }
        for (Map.Entry<String, String> rule : recorded.entrySet()) {
            if (reads(expression, rule.getKey())) {
                String absent = notYetServed(rule.getValue(), Map.of());
                if (absent != null) {
                    return absent;
                }
            }
        }
        return null;
    }

    private static boolean reads(String expression, String metric) {
        return Pattern.compile("(?<![\\w:])" + Pattern.quote(metric) + "(?![\\w:])").matcher(expression).find();
    }

    private static Map<String, String> recordingRules() {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (Object group : prometheus.ruleGroups()) {
            for (Object item : JsonReader.array(JsonReader.object(group).get("rules"))) {
                Map<String, Object> rule = JsonReader.object(item);
                if ("recording".equals(rule.get("type"))) {
                    recorded.put((String) rule.get("name"), (String) rule.get("query"));
                }
            }
        }
        return recorded;
    }

    // --- What the traffic implies ---------------------------------------------------------------

    private static void sendRound(Http http, int addressSet) {
        for (Visit visit : ROUND) {
            Http.Request request = http.request(visit.method(), app.url(visit.path()))
                    .userAgent(visit.userAgent())
                    .forwardedFor("198.18." + addressSet + "." + visit.visitor())
                    .referer(SELF.equals(visit.referer()) ? app.url("/index.html") : visit.referer());
            if (visit.method().equals("POST")) {
                request.body("{}");
            }
            assertEquals(visit.status(), request.status(), visit.method() + " " + visit.path());
        }
    }

    /** Requests of the round matching {@code filter}, {@code times} over, summed by the labels. */
    private static Map<String, Double> requests(int times, Predicate<Visit> filter, String... labelNames) {
        Map<String, Double> sums = new TreeMap<>();
        for (Visit visit : ROUND) {
            if (filter.test(visit)) {
                sums.merge(key(visit, labelNames), (double) times, Double::sum);
            }
        }
        return sums;
    }

    /** Distinct visitors (never bots) of the round per label set, {@code times} over (each round's new visitors). */
    private static Map<String, Double> visitors(int times, Predicate<Visit> filter, String... labelNames) {
        Map<String, Set<Integer>> distinct = new TreeMap<>();
        for (Visit visit : ROUND) {
            if (filter.test(visit) && !visit.client().equals("bot")) {
                distinct.computeIfAbsent(key(visit, labelNames), k -> new TreeSet<>()).add(visit.visitor());
            }
        }
        Map<String, Double> counts = new TreeMap<>();
        distinct.forEach((key, set) -> counts.put(key, (double) set.size() * times));
        return counts;
    }

    private static String key(Visit visit, String... labelNames) {
        String[] pairs = new String[labelNames.length * 2];
        for (int i = 0; i < labelNames.length; i++) {
            pairs[2 * i] = labelNames[i];
            pairs[2 * i + 1] = visit.label(labelNames[i]);
        }
        return labels(pairs);
    }

    private static double total(Map<String, Double> counts) {
        return counts.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static void awaitInPrometheus(String query, double expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        List<Sample> last = List.of();
        while (System.currentTimeMillis() < deadline) {
            last = prometheus.query(query);
            if (last.size() == 1 && last.get(0).value() == expected) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new AssertionError("Prometheus never saw " + query + " == " + expected + ", last " + last + "\n"
                + prometheus.output() + "\n" + app.output());
    }

    // --- Expectations' checks -------------------------------------------------------------------

    /** What the traffic implies, and a check that returns null when the result agrees, else why not. */
    private record Expectation(String implied, Function<List<Sample>, String> check) {
    }

    /** The result's labels without job and instance (checked to be this test's) and the metric name. */
    private static Map<String, Double> byLabels(List<Sample> samples) {
        Map<String, Double> values = new TreeMap<>();
        for (Sample sample : samples) {
            Map<String, String> labels = new TreeMap<>(sample.labels());
            labels.remove("__name__");
            if (labels.containsKey("job") && !JOB.equals(labels.remove("job"))) {
                throw new AssertionError("a series of another job: " + sample);
            }
            if (labels.containsKey("instance") && !instance.equals(labels.remove("instance"))) {
                throw new AssertionError("a series of another instance: " + sample);
            }
            List<String> pairs = new ArrayList<>();
            labels.forEach((name, value) -> {
                pairs.add(name);
                pairs.add(value);
            });
            values.put(labels(pairs.toArray(new String[0])), sample.value());
        }
        return values;
    }

    private static String describe(List<Sample> samples) {
        if (samples.isEmpty()) {
            return "(empty)";
        }
        Map<String, Double> values = byLabels(samples);
        String shown = values.entrySet().stream().limit(12)
                .map(entry -> entry.getKey() + " " + format(entry.getValue()))
                .collect(Collectors.joining(", "));
        return values.size() > 12 ? values.size() + " series: " + shown + ", ..." : shown;
    }

    private static String format(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value) ? Long.toString((long) value)
                : String.format(java.util.Locale.ROOT, "%.3f", value);
    }

    private static String describe(Map<String, Double> values) {
        return values.entrySet().stream().map(entry -> entry.getKey() + " " + format(entry.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** Exactly these series with these values. */
    private static Expectation exact(Map<String, Double> expected) {
        return new Expectation("exactly " + describe(expected), samples -> {
            Map<String, Double> actual = byLabels(samples);
            return actual.equals(new TreeMap<>(expected)) ? null : "not exactly " + expected;
        });
    }

    /** These counts, series of value 0 (nothing counted) aside. */
    private static Expectation counted(Map<String, Double> expected) {
        return new Expectation("exactly " + describe(expected), samples -> {
            Map<String, Double> actual = byLabels(samples);
            actual.values().removeIf(value -> value == 0);
            return actual.equals(new TreeMap<>(expected)) ? null : "not exactly " + expected;
        });
    }

    /** Exactly these label sets, each with a finite value above 0. */
    private static Expectation positive(Set<String> labelSets) {
        return new Expectation("> 0 for each of " + String.join(", ", new TreeSet<>(labelSets)), samples -> {
            Map<String, Double> actual = byLabels(samples);
            if (!actual.keySet().equals(new TreeSet<>(labelSets))) {
                return "label sets differ";
            }
            return actual.values().stream().allMatch(value -> value > 0 && Double.isFinite(value)) ? null : "a value is not > 0";
        });
    }

    /** increase() over the whole test of the requests matching {@code filter}, by one label. */
    private static Expectation increase(Predicate<Visit> filter, String label) {
        return increase(requests(2, filter, label), requests(3, filter, label));
    }

    /** Each series between its increase after the first round and 1.5 times its total (extrapolation). */
    private static Expectation increase(Map<String, Double> secondPhase, Map<String, Double> total) {
        return new Expectation("between " + describe(secondPhase) + " and 1.5 x " + describe(total), samples -> {
            Map<String, Double> actual = byLabels(samples);
            if (!actual.keySet().equals(total.keySet())) {
                return "label sets differ";
            }
            for (Map.Entry<String, Double> entry : actual.entrySet()) {
                double value = entry.getValue();
                if (value < secondPhase.get(entry.getKey()) - 1e-9 || value > 1.5 * total.get(entry.getKey())) {
                    return entry.getKey() + " out of range";
                }
            }
            return null;
        });
    }

    private static Expectation nothing() {
        return new Expectation("nothing (healthy)", samples -> samples.isEmpty() ? null : "not empty");
    }

    private static Expectation oneSeriesLabelled(String... labelNames) {
        return new Expectation("1 series of value 1 with " + String.join(", ", labelNames), samples -> {
            if (samples.size() != 1 || samples.get(0).value() != 1) {
                return "not one series of value 1";
            }
            for (String name : labelNames) {
                if (samples.get(0).labels().getOrDefault(name, "").isEmpty()) {
                    return "no " + name;
                }
            }
            return null;
        });
    }

    /** The latency buckets' rates: every endpoint with all 15 buckets, and its +Inf bucket above 0. */
    private static Expectation bucketRates() {
        List<String> bounds = List.of("0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1.0",
                "2.5", "5.0", "7.5", "10.0", "+Inf");
        Set<String> endpoints = new TreeSet<>();
        ROUND.forEach(visit -> endpoints.add(visit.endpoint()));
        return new Expectation("15 buckets (le 0.005 .. +Inf) for each of " + endpoints + ", +Inf > 0", samples -> {
            Map<String, Double> actual = byLabels(samples);
            Set<String> expected = new TreeSet<>();
            for (String endpoint : endpoints) {
                for (String bound : bounds) {
                    expected.add(labels("endpoint", endpoint, "le", bound));
                }
                if (!(actual.getOrDefault(labels("endpoint", endpoint, "le", "+Inf"), 0.0) > 0)) {
                    return "+Inf bucket of " + endpoint + " not > 0";
                }
            }
            return actual.keySet().equals(expected) ? null : "label sets differ: " + actual.keySet();
        });
    }

    private static String promtool(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(PrometheusServer.binary("promtool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }
}
