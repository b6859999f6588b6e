package io.headcount.it.redis;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.Http;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Distinct visitors (a distinct address in a trusted X-Forwarded-For, and a distinct User-Agent),
 * each making a few visits to the test app's endpoints, in a seeded random order. Remembers which
 * visitors reached which endpoint label, so tests can assert exact figures.
 */
final class VisitorTraffic {
    static final List<String> ENDPOINT_PATHS = List.of("/api/users", "/api/users/%d", "/index.html", "/shop/products/%d");
    static final Map<String, String> ENDPOINT_LABELS = Map.of(
            "/api/users", "/api/users", "/api/users/%d", "/api/users/{id}",
            "/index.html", "/index.html", "/shop/products/%d", "/shop/products/{id}");

    /** One request of one visitor. */
    static final class Visit {
        final int visitor;
        final String path;

        Visit(int visitor, String path) {
            this.visitor = visitor;
            this.path = path;
        }
    }

    private final Http http = new Http();
    private final Random random;
    private final Map<String, Set<Integer>> visitorsByEndpoint = new HashMap<>();
    private final Set<Integer> visitors = new HashSet<>();

    VisitorTraffic(long seed) {
        random = new Random(seed);
    }

    static String address(int visitor) {
        return "198.18." + (visitor / 250) + "." + (visitor % 250 + 1);
    }

    static String userAgent(int visitor) {
        return "Mozilla/5.0 (X11; Linux x86_64; rv:" + (100 + visitor) + ".0) Gecko/20100101 Firefox/" + (100 + visitor) + ".0";
    }

    /** {@code min} to {@code max} visits for each visitor from {@code first} (inclusive) to {@code last} (exclusive), shuffled. */
    List<Visit> plan(int first, int last, int min, int max) {
        List<Visit> visits = new ArrayList<>();
        for (int visitor = first; visitor < last; visitor++) {
            int count = min + random.nextInt(max - min + 1);
            for (int v = 0; v < count; v++) {
                visits.add(visit(visitor, ENDPOINT_PATHS.get(random.nextInt(ENDPOINT_PATHS.size()))));
            }
        }
        Collections.shuffle(visits, random);
        return visits;
    }

    /** One visit of {@code visitor} to a path made from one of {@link #ENDPOINT_PATHS}. */
    Visit visit(int visitor, String template) {
        visitorsByEndpoint.computeIfAbsent(ENDPOINT_LABELS.get(template), k -> new HashSet<>()).add(visitor);
        visitors.add(visitor);
        return new Visit(visitor, String.format(template, 1 + random.nextInt(1000)));
    }

    /** Sends the visits with a few clients at once, each to the instance {@code target} picks; every one must answer 200. */
    void send(List<Visit> visits, IntFunction<AppProcess> target, long pauseMillis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < visits.size(); i++) {
                Visit visit = visits.get(i);
                AppProcess app = target.apply(i);
                done.add(pool.submit(() -> {
                    int status = http.get(app.url(visit.path)).userAgent(userAgent(visit.visitor))
                            .forwardedFor(address(visit.visitor)).status();
                    if (status != 200) {
                        throw new AssertionError(visit.path + " answered " + status);
                    }
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    int pick(int bound) {
        return random.nextInt(bound);
    }

    Set<Integer> visitors() {
        return visitors;
    }

    Map<String, Set<Integer>> visitorsByEndpoint() {
        return visitorsByEndpoint;
    }
}
