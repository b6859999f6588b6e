package io.headcount.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Two builds of the worker in one JVM, each in a class loader of its own, timed in alternating
 * slices: the whole recorder of {@code InMemoryRecorders} over the events of {@link TrafficMix},
 * CPU time of this thread; or, with the {@code advice} option, two builds of the request thread's
 * side ({@link AdviceLoop}: the woven servlet on Tomcat's own request objects). A shared machine's speed drifts by 10-30% between minutes, far more
 * than one change to the worker moves it, and separate runs cannot tell 5% apart; slices a few
 * hundred milliseconds long taken in turn see the same machine, so the ratio of each pair of
 * slices keeps the change and drops the drift. Within one JVM each build's compiled code is its
 * own, so one launch can favour either side by a few percent: {@code bench/worker_ab.py} runs
 * several launches in alternating order and summarizes them.
 *
 * <p>Arguments: jar A, jar B (each a {@code bench/target/benchmarks.jar}), [distinct events, a
 * power of two: 1,024 keeps them in the processor's caches] [slice pairs] [events per slice]
 * [a comma-separated list of {@code routes}: each event carries the route Spring MVC would report
 * ({@link #springRoute}), as in an app whose framework names its routes; {@code hints}: each event
 * of a Chrome User-Agent carries Chrome's client hints ({@link #chromeHints}), as over HTTPS; the
 * mix itself has neither; {@code fresh}: before each event is recorded, its request's values
 * ({@link #FRESH_FIELDS}) become new strings made from their bytes, as a container makes them for
 * each request, so that nothing the worker learnt from one instance (its cached hash, its identity)
 * carries over to the next request with the same text; both sides pay for the copies, so read the
 * difference, which the ratio dilutes; {@code advice}: the request thread's side instead of the worker, each
 * request served with Chrome's headers; a jar's path prefixed with {@code plain:} then runs the
 * servlet unwoven, so that {@code plain:X X} measures what build X's advice costs].
 * Prints each side's median ns per event, the median of B's slice over A's and the median of
 * their differences: with {@code advice} the slices include Tomcat's own work, which the ratio
 * dilutes and the difference does not.
 */
public final class WorkerAB {
    private static final int WARM_UP_EVENTS = 10_000_000;
    /** Before a jar's path with the {@code advice} option: that side's servlet is not woven. */
    private static final String PLAIN = "plain:";
    /** The event's values that a container reads from the request's bytes anew for each request. */
    static final String[] FRESH_FIELDS = {"method", "requestUri", "userAgent", "referer", "host", "remoteAddr",
        "forwarded", "xForwardedFor", "secChUa", "secChUaMobile", "secChUaPlatform"};

    private WorkerAB() {
    }

    /** One build's recorder with its own events. */
    private static final class Build {
        final MethodHandle record;
        final Object[] events;
        /** With {@code fresh}: per event, the bytes of each of {@link #FRESH_FIELDS} (null where unset). */
        private byte[][][] freshBytes;
        /** With {@code fresh}: a setter per field of {@link #FRESH_FIELDS}, as (Object, String) void. */
        private MethodHandle[] freshSetters;
        int next;

        Build(String jar, int distinct, boolean routes, boolean hints, boolean fresh)
                throws ReflectiveOperationException, java.io.IOException {
            URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> mixClass = loader.loadClass(TrafficMix.class.getName());
            Object mix = mixClass.getConstructor(int.class, int.class, long.class).newInstance(3000, 20_000, 7L);
            Object[] requests = (Object[]) mixClass.getMethod("next", int.class).invoke(mix, distinct);
            Class<?> recorders = loader.loadClass("io.headcount.agent.InMemoryRecorders");
            Method event = Arrays.stream(recorders.getMethods()).filter(m -> m.getName().equals("event"))
                    .findFirst().orElseThrow();
            events = new Object[distinct];
            for (int i = 0; i < distinct; i++) {
                events[i] = event.invoke(null, requests[i]);
            }
            if (routes) {
                java.lang.reflect.Field uri = events[0].getClass().getField("requestUri");
                java.lang.reflect.Field spring = events[0].getClass().getField("springRoute");
                for (Object e : events) {
                    spring.set(e, springRoute((String) uri.get(e)));
                }
            }
            if (hints) {
                Class<?> eventClass = events[0].getClass();
                java.lang.reflect.Field userAgent = eventClass.getField("userAgent");
                for (Object e : events) {
                    String[] fields = chromeHints((String) userAgent.get(e));
                    if (fields != null) {
                        eventClass.getField("secChUa").set(e, fields[0]);
                        eventClass.getField("secChUaMobile").set(e, fields[1]);
                        eventClass.getField("secChUaPlatform").set(e, fields[2]);
                    }
                }
            }
            if (fresh) {
                Class<?> eventClass = events[0].getClass();
                freshSetters = new MethodHandle[FRESH_FIELDS.length];
                freshBytes = new byte[distinct][FRESH_FIELDS.length][];
                for (int f = 0; f < FRESH_FIELDS.length; f++) {
                    java.lang.reflect.Field field = eventClass.getField(FRESH_FIELDS[f]);
                    freshSetters[f] = MethodHandles.publicLookup().unreflectSetter(field)
                            .asType(java.lang.invoke.MethodType.methodType(void.class, Object.class, String.class));
                    for (int i = 0; i < distinct; i++) {
                        String value = (String) field.get(events[i]);
                        freshBytes[i][f] = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
                    }
                }
            }
            Object wired = recorders.getMethod("withDefaultSettings").invoke(null);
            Method recordMethod = wired.getClass().getMethod("record",
                    loader.loadClass("io.headcount.agent.bootstrap.RequestEvent"));
            record = MethodHandles.publicLookup().unreflect(recordMethod).bindTo(wired);
        }

        /**
         * The request thread's side of the jar: {@link AdviceLoop}; its servlet left unwoven when the
         * jar's path is prefixed with {@value #PLAIN}.
         */
        Build(String jar) throws ReflectiveOperationException, java.io.IOException {
            boolean plain = jar.startsWith(PLAIN);
            URLClassLoader loader = new URLClassLoader(
                    new URL[] {Path.of(plain ? jar.substring(PLAIN.length()) : jar).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Object loop = loader.loadClass(AdviceLoop.class.getName()).getConstructor(String.class)
                    .newInstance(plain ? "plain" : "advised");
            record = MethodHandles.publicLookup().findVirtual(loop.getClass(), "run",
                    java.lang.invoke.MethodType.methodType(void.class, int.class)).bindTo(loop);
            events = null;
        }

        void run(int count) throws Throwable {
            if (events == null) {
                record.invoke(count);
                return;
            }
            int mask = events.length - 1;
            for (int i = 0; i < count; i++) {
                int at = next++ & mask;
                if (freshBytes != null) {
                    refresh(events[at], freshBytes[at]);
                }
                record.invoke(events[at]);
            }
        }

        /** The event's request values as new strings, decoded from their bytes as a container does. */
        private void refresh(Object event, byte[][] bytes) throws Throwable {
            for (int f = 0; f < bytes.length; f++) {
                if (bytes[f] != null) {
                    freshSetters[f].invokeExact(event, new String(bytes[f], StandardCharsets.UTF_8));
                }
            }
        }
    }

    /**
     * The route Spring MVC would report for a path of {@link TrafficMix}'s shop if its controllers
     * served the pages and the API: {@code /api/users/{id}} and the like, the page's own path for the
     * fixed pages, none for static files, probes and health checks.
     */
    static String springRoute(String path) {
        if (path.startsWith("/api/users/")) {
            return "/api/users/{id}";
        }
        if (path.startsWith("/api/orders/")) {
            return "/api/orders/{orderId}";
        }
        if (path.startsWith("/api/products/")) {
            return "/api/products/{productId}/reviews";
        }
        if (path.startsWith("/products/")) {
            return "/products/{slug}";
        }
        switch (path) {
            case "/":
            case "/api/orders":
            case "/search":
            case "/cart":
                return path;
            default:
                return null;
        }
    }

    /**
     * The three low-entropy client hints Chrome sends with a request over HTTPS, for a User-Agent
     * with a {@code Chrome/} token (the advice reads them for no other), each field a string of its
     * own as each request brings; null for other User-Agents.
     */
    static String[] chromeHints(String userAgent) {
        int at = userAgent == null ? -1 : userAgent.indexOf("Chrome/");
        if (at < 0) {
            return null;
        }
        int end = at + 7;
        while (end < userAgent.length() && Character.isDigit(userAgent.charAt(end))) {
            end++;
        }
        String major = userAgent.substring(at + 7, end);
        String platform = userAgent.contains("Android") ? "Android" : userAgent.contains("Windows") ? "Windows"
                : userAgent.contains("Macintosh") ? "macOS" : userAgent.contains("CrOS") ? "Chrome OS"
                : userAgent.contains("Linux") ? "Linux" : "Unknown";
        return new String[] {
            new String("\"Chromium\";v=\"" + major + "\", \"Google Chrome\";v=\"" + major + "\", \"Not-A.Brand\";v=\"99\""),
            new String(userAgent.contains("Mobile") ? "?1" : "?0"),
            new String("\"" + platform + "\""),
        };
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            throw new IllegalArgumentException(
                    "usage: WorkerAB JAR_A JAR_B [distinct] [slice pairs] [events per slice] [routes,hints,fresh|advice]");
        }
        int distinct = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
        int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int perSlice = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
        if (Integer.bitCount(distinct) != 1) {
            throw new IllegalArgumentException("distinct events must be a power of two: " + distinct);
        }
        List<String> extras = args.length > 5 ? List.of(args[5].split(",")) : List.of();
        boolean routes = extras.contains("routes");
        boolean hints = extras.contains("hints");
        boolean fresh = extras.contains("fresh");
        Build[] builds = extras.contains("advice") ? new Build[] {new Build(args[0]), new Build(args[1])}
                : new Build[] {new Build(args[0], distinct, routes, hints, fresh),
                    new Build(args[1], distinct, routes, hints, fresh)};
        for (int i = 0; i < WARM_UP_EVENTS / 1000; i++) {
            builds[i & 1].run(1000);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] nanos = new double[2][pairs];
        double[] ratios = new double[pairs];
        double[] differences = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            for (int k = 0; k < 2; k++) {
                int side = (p & 1) == 0 ? k : 1 - k; // who goes first alternates
                long start = threads.getCurrentThreadCpuTime();
                builds[side].run(perSlice);
                nanos[side][p] = (threads.getCurrentThreadCpuTime() - start) / (double) perSlice;
            }
            ratios[p] = nanos[1][p] / nanos[0][p];
            differences[p] = nanos[1][p] - nanos[0][p];
        }
        System.out.printf("A %s: median %.1f ns per event%n", args[0], median(nanos[0]));
        System.out.printf("B %s: median %.1f ns per event%n", args[1], median(nanos[1]));
        System.out.printf("B/A: median of %d paired slices %.4f%n", pairs, median(ratios));
        System.out.printf("B-A: median of %d paired slices %.1f ns per event%n", pairs, median(differences));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
