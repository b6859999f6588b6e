package io.headcount.agent;

import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.bench.TrafficMix;
import io.headcount.bench.UserAgents;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (b) The worker's throughput in events per second on one thread: {@code RequestRecorder.record},
 * that is exclusion check, classification (through its cache), the endpoint and referrer caps, the
 * three request counters and the histogram, the client address, the visitor HMAC and both
 * in-memory dedup sets, wired from the default settings as the agent wires them.
 *
 * <p>The events are 65,536 requests of {@link TrafficMix} cycled over and over: {@code userAgents}
 * distinct User-Agents (from the ua-parser corpus when it is found), 20,000 visitors, numeric and
 * UUID IDs in paths, 40 outside referrer sites, 5% 404 probes and health checks. After the first
 * pass every visitor is known, as on a site whose visitors come back during the day.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class WorkerThroughputBenchmark {
    private static final int EVENTS = 1 << 16;

    @Param({"3000"})
    public int userAgents;

    /**
     * The setting {@code visitors.max}, the default unless given: it sizes the dedup tables that
     * each event probes at a random slot (46 MiB at the default), so a small one shows what the
     * probes' cache misses cost.
     */
    @Param({"1000000"})
    public int visitorsMax;

    private InMemoryRecorders.Wired worker;
    private RequestEvent[] events;
    private int next;

    @Setup(Level.Trial)
    public void generate() {
        TrafficMix mix = new TrafficMix(userAgents, 20_000, 7);
        TrafficMix.Request[] requests = mix.next(EVENTS);
        System.out.printf("%n[mix] %s; User-Agents from %s%n", TrafficMix.describe(requests), UserAgents.source());
        events = new RequestEvent[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            events[i] = InMemoryRecorders.event(requests[i]);
        }
        worker = InMemoryRecorders.withArguments("visitors.max=" + visitorsMax);
    }

    @Benchmark
    public void record() {
        worker.record(events[next++ & (EVENTS - 1)]);
    }
}
