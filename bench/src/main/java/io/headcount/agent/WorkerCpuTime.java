package io.headcount.agent;

import io.headcount.agent.bootstrap.RequestEvent;
import io.headcount.bench.TrafficMix;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The worker's cost per event in CPU time of its own thread: the events and the wiring of
 * {@link WorkerThroughputBenchmark}, timed by {@link ThreadMXBean#getCurrentThreadCpuTime} instead
 * of the wall clock. On a machine shared with other work the wall clock counts the time the thread
 * waited for a core, and JMH's events per second swing by several times; CPU time counts only
 * what the thread ran (cache misses caused by the neighbours still show). Prints ns of CPU per
 * event for each round, then the median and range, the events per CPU-second they give, and the
 * bytes the thread allocated per event (which the neighbours do not change).
 *
 * <p>Arguments: [rounds] [events per round] [warm-up events].
 */
public final class WorkerCpuTime {
    private static final int EVENTS = 1 << 16;

    private WorkerCpuTime() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 20_000_000;
        TrafficMix mix = new TrafficMix(3000, 20_000, 7);
        TrafficMix.Request[] requests = mix.next(EVENTS);
        RequestEvent[] events = new RequestEvent[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            events[i] = InMemoryRecorders.event(requests[i]);
        }
        InMemoryRecorders.Wired worker = InMemoryRecorders.withDefaultSettings();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int next = 0;
        for (int i = 0; i < warmUp; i++) {
            worker.record(events[next++ & (EVENTS - 1)]);
        }
        double[] nanosPerEvent = new double[rounds];
        long threadId = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(threadId);
        for (int r = 0; r < rounds; r++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < perRound; i++) {
                worker.record(events[next++ & (EVENTS - 1)]);
            }
            nanosPerEvent[r] = (threads.getCurrentThreadCpuTime() - start) / (double) perRound;
            System.out.printf("round %2d: %7.1f ns of CPU per event%n", r + 1, nanosPerEvent[r]);
        }
        double bytesPerEvent = (threads.getThreadAllocatedBytes(threadId) - allocatedBefore)
                / ((double) rounds * perRound);
        Arrays.sort(nanosPerEvent);
        double median = nanosPerEvent[rounds / 2];
        System.out.printf("median %.1f ns per event (range %.1f-%.1f), %,.0f events per CPU-second, %.1f bytes"
                + " allocated per event%n", median, nanosPerEvent[0], nanosPerEvent[rounds - 1], 1e9 / median,
                bytesPerEvent);
    }
}
