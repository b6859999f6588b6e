package io.headcount.agent.metrics;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The contract's metrics, in the agent's own registry.
 *
 * <p>Three request counters rather than one over every label: one counter would be a cross-tab
 * whose series multiply and whose rare combinations can single out a person.
 */
public final class HeadcountMetrics {
    /** The OpenTelemetry HTTP server default buckets, so that dashboards built for it read ours. */
    static final double[] DURATION_BUCKETS = {
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10
    };

    /** Defaults only: the host app's prometheus.properties or system properties must not reach us. */
    static final PrometheusProperties PROPERTIES = PrometheusProperties.builder().build();

    /** What waits to be counted; read first in each scrape ({@link #scrape}). */
    public static final String VISITORS_PENDING = "headcount_visitors_pending";

    /** Label combinations whose series are kept at hand, per cache; past this a cache starts again. */
    private static final int SERIES_CACHE_SIZE = 4096;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    /** By endpoint, method, status class and client: the request counter's and the histogram's series. */
    private final LabelTable<RouteSeries> routeSeries = new LabelTable<>(SERIES_CACHE_SIZE);
    /** By client, browser, os and device. */
    private final LabelTable<ClientKinds> clientSeries = new LabelTable<>(SERIES_CACHE_SIZE);
    private final Map<String, WorkerCounter.Series> referrerSeries = new HashMap<>();

    // The worker's per-request metrics are written by it alone (WorkerMetric), each described by
    // the client_java metric it stands for.
    private final WorkerCounter requests = register(new WorkerCounter(Counter.builder(PROPERTIES)
            .name("headcount_requests")
            .help("Requests served, by endpoint, method, status class and client kind.")
            .withoutExemplars(), "endpoint", "method", "status_class", "client"));
    private final WorkerCounter requestsByClient = register(new WorkerCounter(Counter.builder(PROPERTIES)
            .name("headcount_requests_by_client")
            .help("Requests served, by client kind, browser, operating system and device.")
            .withoutExemplars(), "client", "browser", "os", "device"));
    private final WorkerCounter requestsByReferrer = register(new WorkerCounter(Counter.builder(PROPERTIES)
            .name("headcount_requests_by_referrer")
            .help("Requests served, by referrer domain (direct, internal, a host name, or other).")
            .withoutExemplars(), "referrer"));
    private final WorkerHistogram duration = register(new WorkerHistogram(Histogram.builder(PROPERTIES)
            .name("headcount_request_duration_seconds")
            .help("Time from the container handing the request to the app until the app returned.")
            .withoutExemplars(), DURATION_BUCKETS, "endpoint", "method", "status_class"));
    private final Counter uniqueVisitors = Counter.builder(PROPERTIES)
            .name("headcount_unique_visitors")
            .help("Distinct visitors (salted hash of IP and User-Agent) first seen in their visitor day.")
            .labelNames("client")
            .withoutExemplars()
            .register(registry);
    private final Counter uniqueVisitorsByEndpoint = Counter.builder(PROPERTIES)
            .name("headcount_unique_visitors_by_endpoint")
            .help("Distinct visitors first seen on an endpoint in their visitor day.")
            .labelNames("endpoint", "client")
            .withoutExemplars()
            .register(registry);
    private final WorkerCounter clientVersions = register(new WorkerCounter(Counter.builder(PROPERTIES)
            .name("headcount_client_requests_by_version")
            .help("Requests of named clients (the clients setting) by the version their rule captured;"
                    + " other for a malformed version or past 32 per client.")
            .withoutExemplars(), "client", "version"));

    private final Counter optedOut = Counter.builder(PROPERTIES)
            .name("headcount_requests_opted_out")
            .help("Requests counted whose client asked not to be tracked (Sec-GPC: 1, or DNT: 1 as configured):"
                    + " their visitor is never hashed or kept.")
            .withoutExemplars()
            .register(registry);
    private final WorkerCounter requestsByAuth = register(new WorkerCounter(Counter.builder(PROPERTIES)
            .name("headcount_requests_by_auth")
            .help("Requests counted, by whether they came signed in (a user principal, an Authorization header"
                    + " or the configured session cookie) or anonymous.")
            .withoutExemplars(), "auth"));
    // Both series from the start, so that a share of zero shows as 0 and not as no data.
    private final WorkerCounter.Series authenticated = requestsByAuth.labelValues("authenticated");
    private final WorkerCounter.Series anonymous = requestsByAuth.labelValues("anonymous");

    private final WorkerCounter requestsExcluded = register(new WorkerCounter(Counter.builder(PROPERTIES)
            .name("headcount_requests_excluded")
            .help("Requests not counted at all because an exclusion setting matched them, by which one: path"
                    + " (exclude.paths), user_agent (exclude.user-agents) or address (exclude.ips).")
            .withoutExemplars(), "reason"));
    // Every reason from the start: a client that hides behind a health checker's User-Agent shows as a rise.
    private final WorkerCounter.Series excludedByPath = requestsExcluded.labelValues("path");
    private final WorkerCounter.Series excludedByUserAgent = requestsExcluded.labelValues("user_agent");
    private final WorkerCounter.Series excludedByAddress = requestsExcluded.labelValues("address");

    private final Counter visitorsByRequestCount = Counter.builder(PROPERTIES)
            .name("headcount_visitors_by_request_count")
            .help("Visitors of a visitor day that has ended, by how many requests each made that day (band, capped"
                    + " at 1000) and the client kind of its first request; added once, after the day ends.")
            .labelNames("client", "band")
            .withoutExemplars()
            .register(registry);

    private final Counter inexactVisits = Counter.builder(PROPERTIES)
            .name("headcount_visitors_inexact")
            .help("Visits counted by this instance alone because a hold or backlog bound was passed (Redis mode):"
                    + " while it grows, the day's figures may count a visitor more than once.")
            .withoutExemplars()
            .register(registry);

    public PrometheusRegistry registry() {
        return registry;
    }

    private <M extends WorkerMetric<?>> M register(M metric) {
        registry.register(metric);
        return metric;
    }

    /**
     * The registry's metrics, with {@link #VISITORS_PENDING} read before all the others. The worker
     * counts a visitor before it lowers pending, so a scrape that reads pending 0 first also holds
     * every count made until then. The registry by itself reads its metrics in hash order, which
     * differs from run to run: a scrape could read the counters, then (the worker having counted
     * Redis's replies in between) pending 0, and say nothing waits while counts were missing.
     */
    public static MetricSnapshots scrape(PrometheusRegistry registry) {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        registry.scrape(VISITORS_PENDING::equals).forEach(all::metricSnapshot);
        registry.scrape(name -> !VISITORS_PENDING.equals(name)).forEach(all::metricSnapshot);
        return all.build();
    }

    /**
     * Counts one request in each of the three request counters and the duration histogram.
     * Worker thread only: their series are written by the worker alone ({@link WorkerMetric}), and
     * looked up once and kept, which saves the worker four look-ups by label values per request.
     */
    public void request(String endpoint, String method, String statusClass, String client,
                        String browser, String os, String device, String referrer, double seconds) {
        request(endpoint, method, statusClass, clientKinds(client, browser, os, device), referrer, seconds);
    }

    /**
     * As {@link #request(String, String, String, String, String, String, String, String, double)},
     * with the client's kinds found before ({@link #clientKinds}), as the worker keeps them with a
     * User-Agent's classes. Worker thread only.
     */
    public void request(String endpoint, String method, String statusClass, ClientKinds kinds, String referrer,
                        double seconds) {
        // One small cache per label set rather than one over all eight labels, whose cross-tab
        // outgrew any cache of a sane size; nothing is allocated unless a combination is new.
        String client = kinds.client;
        RouteSeries route = routeSeries.get(endpoint, method, statusClass, client);
        if (route == null) {
            route = new RouteSeries(requests.labelValues(endpoint, method, statusClass, client),
                    duration.labelValues(endpoint, method, statusClass));
            routeSeries.put(endpoint, method, statusClass, client, route);
        }
        WorkerCounter.Series byReferrer = referrerSeries.get(referrer);
        if (byReferrer == null) {
            byReferrer = requestsByReferrer.labelValues(referrer);
            if (referrerSeries.size() >= SERIES_CACHE_SIZE) {
                referrerSeries.clear();
            }
            referrerSeries.put(referrer, byReferrer);
        }
        route.requests.inc();
        kinds.requests.inc();
        byReferrer.inc();
        route.duration.observe(seconds);
    }

    /**
     * The requests of one client kind, browser, operating system and device, for
     * {@link #request(String, String, String, ClientKinds, String, double)}: valid for the life of
     * these metrics, since series are never removed. Worker thread only.
     */
    public ClientKinds clientKinds(String client, String browser, String os, String device) {
        ClientKinds kinds = clientSeries.get(client, browser, os, device);
        if (kinds == null) {
            kinds = new ClientKinds(client, requestsByClient.labelValues(client, browser, os, device));
            clientSeries.put(client, browser, os, device, kinds);
        }
        return kinds;
    }

    /** The request's consent and sign-in: one more opted out if it is, and one more by auth. Worker thread only. */
    public void requestSignals(boolean optedOutRequest, boolean signedIn) {
        if (optedOutRequest) {
            optedOut.inc();
        }
        (signedIn ? authenticated : anonymous).inc();
    }

    /** One request that exclude.paths kept out of every other metric. Worker thread only. */
    public void excludedByPath() {
        excludedByPath.inc();
    }

    /** One request that exclude.user-agents kept out of every other metric. Worker thread only. */
    public void excludedByUserAgent() {
        excludedByUserAgent.inc();
    }

    /** One request that exclude.ips kept out of every other metric. Worker thread only. */
    public void excludedByAddress() {
        excludedByAddress.inc();
    }

    /** One request of a named client whose rule captures a version; the version already capped. */
    public void clientVersion(String client, String version) {
        clientVersions.labelValues(client, version).inc();
    }

    public CounterDataPoint uniqueVisitor(String client) {
        return uniqueVisitors.labelValues(client);
    }

    public CounterDataPoint uniqueVisitorOnEndpoint(String endpoint, String client) {
        return uniqueVisitorsByEndpoint.labelValues(endpoint, client);
    }

    /** Adds a finished day's visitors of one client kind and request-count band. */
    public void visitorsByRequestCount(String client, String band, long visitors) {
        visitorsByRequestCount.labelValues(client, band).inc(visitors);
    }

    /** One visit counted by this instance alone although Redis mode promises exact counts. */
    public void inexactVisit() {
        inexactVisits.inc();
    }

    /**
     * The {@code _today} gauges, read from {@code figures} at each scrape (which may cache): the
     * current visitor day's distinct visitors by client kind, and by endpoint and client kind.
     */
    public void visitorsToday(Supplier<? extends DayFigures> figures) {
        GaugeWithCallback.builder(PROPERTIES)
                .name("headcount_unique_visitors_today")
                .help("Distinct visitors of the current visitor day (in Redis mode shared by every instance: take max).")
                .labelNames("client")
                .callback(callback -> figures.get().visitors().forEach(
                        (client, count) -> callback.call(count, client)))
                .register(registry);
        GaugeWithCallback.builder(PROPERTIES)
                .name("headcount_unique_visitors_today_by_endpoint")
                .help("Distinct visitors of the current visitor day on an endpoint (in Redis mode shared: take max).")
                .labelNames("endpoint", "client")
                .callback(callback -> figures.get().endpointVisitors().forEach(
                        (endpoint, byClient) -> byClient.forEach((client, count) -> callback.call(count, endpoint, client))))
                .register(registry);
    }

    /** A gauge of the agent's own state, read from {@code value} at each scrape. */
    public void stateGauge(String name, String help, LongSupplier value) {
        GaugeWithCallback.builder(PROPERTIES)
                .name(name)
                .help(help)
                .callback(callback -> callback.call(value.getAsLong()))
                .register(registry);
    }

    /** A counter of the agent's own health, read from {@code value} at each scrape. */
    public void healthCounter(String name, String help, LongSupplier value) {
        CounterWithCallback.builder(PROPERTIES)
                .name(name)
                .help(help)
                .callback(callback -> callback.call(value.getAsLong()))
                .register(registry);
    }

    /** A 0/1 gauge of the agent's own health, read from {@code value} at each scrape. */
    public void healthGauge(String name, String help, BooleanSupplier value) {
        GaugeWithCallback.builder(PROPERTIES)
                .name(name)
                .help(help)
                .callback(callback -> callback.call(value.getAsBoolean() ? 1 : 0))
                .register(registry);
    }

    /** {@code headcount_build_info{version,revision} 1}: which agent build this scrape comes from. */
    public void buildInfo(String version, String revision) {
        Gauge.builder(PROPERTIES)
                .name("headcount_build_info")
                .help("Always 1; its labels say which build of the agent is running (version, git revision).")
                .labelNames("version", "revision")
                .register(registry)
                .labelValues(version, revision)
                .set(1);
    }

    /**
     * {@code headcount_label_cap_reached{label="endpoint"|"referrer"}}: 1 once a new value of that
     * label has become {@code other} because its cap was full, else 0. One gauge with a label
     * rather than two names, so that one alert rule covers both caps.
     */
    public void labelCapsReached(BooleanSupplier endpoint, BooleanSupplier referrer) {
        GaugeWithCallback.builder(PROPERTIES)
                .name("headcount_label_cap_reached")
                .help("1 once a new value of the label became 'other' because endpoint.max or referrer.max was reached.")
                .labelNames("label")
                .callback(callback -> {
                    callback.call(endpoint.getAsBoolean() ? 1 : 0, "endpoint");
                    callback.call(referrer.getAsBoolean() ? 1 : 0, "referrer");
                })
                .register(registry);
    }

    /** The client label and the series of {@code headcount_requests_by_client} of one client, browser, os and device. */
    public static final class ClientKinds {
        final String client;
        final WorkerCounter.Series requests;

        ClientKinds(String client, WorkerCounter.Series requests) {
            this.client = client;
            this.requests = requests;
        }
    }

    /** The request counter's and the duration histogram's series of one endpoint, method, status class and client. */
    private static final class RouteSeries {
        final WorkerCounter.Series requests;
        final WorkerHistogram.Series duration;

        RouteSeries(WorkerCounter.Series requests, WorkerHistogram.Series duration) {
            this.requests = requests;
            this.duration = duration;
        }
    }
}
