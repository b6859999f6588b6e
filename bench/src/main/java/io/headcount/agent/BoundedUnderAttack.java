package io.headcount.agent;

import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.agent.config.SettingDefinitions;
import io.headcount.agent.visitors.InMemoryVisitorTracker;
import io.headcount.bench.TrafficMix;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.openjdk.jol.info.GraphLayout;

/**
 * Issue item 4, "bounded under attack": feeds requests with distinct random paths, referrers,
 * User-Agents, client addresses and methods (half of them with random client hints and framework
 * routes too) through the worker's recorder (in-memory mode,
 * default settings, so default caps), then scrapes the agent's registry and reports the series
 * of every metric, the distinct values of every label against the bound the caps and the
 * contract give, and the heap the recorder holds against a stated bound. Exits 1 when a bound is
 * exceeded.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.headcount.agent.BoundedUnderAttack [requests]</pre>
 */
public final class BoundedUnderAttack {
    private static final long MIB = 1024 * 1024;
    /** Beyond the visitor tables: classifier tables, caches, caps, series, the registry. */
    private static final long HEAP_HEADROOM = 16 * MIB;
    /** Two per fingerprint set (fingerprints, tags), three in the visit counts (fingerprints, counts, clients). */
    private static final int VISITOR_TABLE_ARRAYS = 5;

    private BoundedUnderAttack() {
    }

    /** Printable ASCII of {@code RequestEvent.MAX_VALUE_LENGTH} - 1 characters, distinct each time. */
    private static String longRandomText(SplittableRandom random) {
        char[] text = new char[RequestEvent.MAX_VALUE_LENGTH - 1];
        for (int i = 0; i < text.length; i++) {
            text[i] = (char) (0x21 + random.nextInt(0x7e - 0x21));
        }
        return new String(text);
    }

    public static void main(String[] args) throws Exception {
        // JOL reads field offsets through Unsafe unless it can attach to itself.
        if (System.getProperty("jol.magicFieldOffset") == null) {
            System.setProperty("jol.magicFieldOffset", "true");
        }
        int requests = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 2024;

        long heapEmpty = usedHeapAfterGc();
        InMemoryRecorders.Wired worker = InMemoryRecorders.withDefaultSettings();
        // An ordinary minute first, so that what the agent holds at rest (its classes' tables, the
        // registry, the first series) is told apart from what the attack adds.
        for (TrafficMix.Request request : new TrafficMix(1000, 2000, 1).next(10_000)) {
            worker.record(InMemoryRecorders.event(request));
        }
        long heapAtRest = usedHeapAfterGc();
        SplittableRandom random = new SplittableRandom(seed);
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            RequestEvent event = InMemoryRecorders.event(TrafficMix.attack(random));
            if (i % 2 == 0) {
                // Client hints and framework routes, each new and as long as the advice lets through:
                // the worker's tables of both must stay within their slots.
                event.secChUa = longRandomText(random);
                event.secChUaMobile = longRandomText(random);
                event.secChUaPlatform = longRandomText(random);
                event.springRoute = "/" + longRandomText(random);
            }
            worker.record(event);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long heapAfter = usedHeapAfterGc();

        int endpointMax = worker.settings.get(SettingDefinitions.ENDPOINT_MAX);
        int referrerMax = worker.settings.get(SettingDefinitions.REFERRER_MAX);
        int visitorsMax = worker.settings.get(SettingDefinitions.VISITORS_MAX);
        System.out.printf(Locale.ROOT, "Bounded under attack: %,d requests with random paths, referrers, User-Agents,"
                + " client addresses and methods%n", requests);
        System.out.printf(Locale.ROOT, "settings: endpoint.max=%d referrer.max=%d visitors.max=%d (defaults)%n",
                endpointMax, referrerMax, visitorsMax);
        System.out.printf(Locale.ROOT, "recorded in %.1f s (%,.0f events/s, including generating them)%n%n",
                seconds, requests / seconds);

        Map<String, Integer> labelBounds = new LinkedHashMap<>();
        labelBounds.put("endpoint", endpointMax + 2);     // + not_found, other
        labelBounds.put("referrer", referrerMax + 3);     // + direct, internal, other
        labelBounds.put("method", 10);                    // nine standard methods + OTHER
        labelBounds.put("status_class", 5);
        labelBounds.put("client", 4);                     // browser script bot unknown (no client rules set)
        labelBounds.put("browser", 64);                   // contract browsers, the classifier's fixed tool list, bot, unknown
        labelBounds.put("os", 7);
        labelBounds.put("device", 6);
        labelBounds.put("auth", 2);                       // authenticated anonymous
        labelBounds.put("band", 9);                       // VisitDepthBands
        labelBounds.put("version", 33);                   // 32 per client + other

        boolean withinBounds = true;
        System.out.println("metric                                        label sets  exported series  series bound");
        Map<String, Set<String>> valuesByLabel = new TreeMap<>();
        for (var snapshot : worker.metrics.registry().scrape()) {
            String name = snapshot.getMetadata().getPrometheusName();
            List<String> labelNames = new ArrayList<>();
            long series = 0;
            for (var point : snapshot.getDataPoints()) {
                series += samplesOf(point);
                for (var label : point.getLabels()) {
                    valuesByLabel.computeIfAbsent(label.getName(), k -> new LinkedHashSet<>()).add(label.getValue());
                    if (!labelNames.contains(label.getName())) {
                        labelNames.add(label.getName());
                    }
                }
            }
            int labelSets = snapshot.getDataPoints().size();
            long bound = 1;
            for (String label : labelNames) {
                bound *= labelBounds.getOrDefault(label, Integer.MAX_VALUE);
            }
            long seriesBound = labelSets == 0 ? 0 : bound * (series / labelSets);
            boolean ok = series <= seriesBound || labelNames.isEmpty();
            withinBounds &= ok;
            System.out.printf(Locale.ROOT, "%-45s %10d %16d  %12s %s%n", name, labelSets, series,
                    labelNames.isEmpty() ? "1" : String.valueOf(seriesBound), ok ? "" : "EXCEEDED");
        }
        System.out.println();
        System.out.println("label           distinct values  bound");
        for (Map.Entry<String, Set<String>> entry : valuesByLabel.entrySet()) {
            int bound = labelBounds.getOrDefault(entry.getKey(), Integer.MAX_VALUE);
            boolean ok = entry.getValue().size() <= bound;
            withinBounds &= ok;
            System.out.printf(Locale.ROOT, "%-15s %15d  %5d %s%n", entry.getKey(), entry.getValue().size(), bound,
                    ok ? "" : "EXCEEDED " + entry.getValue());
        }

        long visitorTables = InMemoryVisitorTracker.tableBytesAt(visitorsMax);
        // G1 gives an array of half a region or more whole regions of its own (a humongous object):
        // the tail of its last region holds nothing else. The visitor tables are five such arrays.
        long regionRounding = VISITOR_TABLE_ARRAYS * g1RegionBytes();
        long heapBound = visitorTables + regionRounding + HEAP_HEADROOM;
        long heapUse = heapAfter - heapEmpty;
        boolean heapOk = heapUse <= heapBound;
        withinBounds &= heapOk;
        System.out.println();
        System.out.printf(Locale.ROOT, "heap used after GC: %.1f MiB before the agent; %.1f MiB with it at rest"
                        + " (10,000 ordinary requests); %.1f MiB after the attack%n",
                heapEmpty / (double) MIB, heapAtRest / (double) MIB, heapAfter / (double) MIB);
        System.out.printf(Locale.ROOT, "agent heap use: %.1f MiB at rest, %.1f MiB after the attack (+%.1f MiB) %s%n",
                (heapAtRest - heapEmpty) / (double) MIB, heapUse / (double) MIB,
                (heapAfter - heapAtRest) / (double) MIB, heapOk ? "" : "EXCEEDED");
        System.out.printf(Locale.ROOT, "stated bound: %.1f MiB = the visitor tables at visitors.max (%.1f MiB: the"
                + " visit counts and the visitor-endpoint set) + G1's rounding of their %d arrays to whole regions"
                + " (%.1f MiB) + %d MiB for classifier tables, caches, caps and series%n",
                heapBound / (double) MIB, visitorTables / (double) MIB, VISITOR_TABLE_ARRAYS,
                regionRounding / (double) MIB, HEAP_HEADROOM / MIB);
        System.out.println("retained size of the recorder's object graph (JOL, without static tables): "
                + retainedSize(worker));
        System.out.println();
        System.out.println(withinBounds ? "OK: every series count and the heap stayed within their bounds"
                : "FAILED: a bound was exceeded (marked EXCEEDED above)");
        // Keep the recorder reachable until the heap has been measured.
        if (worker.metrics == null) {
            System.out.println();
        }
        System.exit(withinBounds ? 0 : 1);
    }

    /** Exposition lines of one label set: a histogram has one per bucket plus _count and _sum. */
    private static long samplesOf(Object point) {
        try {
            Method buckets = point.getClass().getMethod("getClassicBuckets");
            Object classic = buckets.invoke(point);
            return ((Number) classic.getClass().getMethod("size").invoke(classic)).longValue() + 2;
        } catch (NoSuchMethodException e) {
            return 1;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** G1's region size, or 0 under another collector (which packs large arrays like any other). */
    private static long g1RegionBytes() {
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .anyMatch(gc -> gc.getName().startsWith("G1"));
        if (!g1) {
            return 0;
        }
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return Long.parseLong(hotspot.getVMOption("G1HeapRegionSize").getValue());
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static String retainedSize(Object root) {
        try {
            GraphLayout layout = GraphLayout.parseInstance(root);
            return String.format(Locale.ROOT, "%.1f MiB in %,d objects", layout.totalSize() / (double) MIB,
                    layout.totalCount());
        } catch (Throwable t) {
            return "not available (" + t + ")";
        }
    }
}
