package io.headcount.agent;

import io.headcount.agent.bootstrap.RequestEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Whether the worker costs more per event when it runs in short bursts between sleeps, as it does
 * at a fixed request rate, than when it records without a pause, as in the other worker benchmarks.
 * At the fixed rate of {@code bench/overhead.sh} the worker thread took about 0.75 us of CPU per
 * request, against 0.35-0.40 us per event for the same request in a loop.
 *
 * <p>The events are the load comparison's request ({@code GET /api/users/42}, one Chrome
 * User-Agent, one client, status 200), each with its own copies of the strings, as a request thread
 * makes them. Modes, alternated round by round, CPU time of the recording thread per event:
 * <ul>
 *   <li>{@code loop}: the events one after another;</li>
 *   <li>{@code bursts B/S}: B events, then a sleep of S ms, as the worker parks when the queue is
 *   empty;</li>
 *   <li>{@code ... + neighbour}: the same while another thread reads through a 32 MiB array without
 *   a pause, standing in for the app's request threads that share the core and its caches while the
 *   worker sleeps. Run the JVM on one CPU ({@code taskset -c 0}) so that they share it.</li>
 * </ul>
 *
 * <p>Arguments: [rounds] [events per round] [burst size] [sleep ms].
 */
public final class WorkerBursts {
    private static final int RING = 1 << 13;
    private static final String USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static volatile boolean neighbourRuns;
    private static volatile long neighbourSink;

    private WorkerBursts() {
    }

    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int burst = args.length > 2 ? Integer.parseInt(args[2]) : 280;
        int sleepMillis = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        RequestEvent[] events = new RequestEvent[RING];
        for (int i = 0; i < RING; i++) {
            events[i] = event();
        }
        InMemoryRecorders.Wired worker = InMemoryRecorders.withDefaultSettings();
        Thread neighbour = new Thread(WorkerBursts::readMemory, "neighbour");
        neighbour.setDaemon(true);
        neighbour.start();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String[] modes = {"loop", "bursts " + burst + "/" + sleepMillis + " ms",
            "bursts " + burst + "/" + sleepMillis + " ms + neighbour", "loop + neighbour"};
        double[][] results = new double[modes.length][rounds];
        int[] next = {0};
        for (int i = 0; i < 3_000_000; i++) {
            worker.record(events[next[0]++ & (RING - 1)]);
        }
        for (int r = 0; r < rounds; r++) {
            for (int m = 0; m < modes.length; m++) {
                neighbourRuns = m >= 2;
                boolean bursts = m == 1 || m == 2;
                long cpu = 0;
                for (int done = 0; done < perRound; ) {
                    int n = bursts ? Math.min(burst, perRound - done) : perRound - done;
                    if (bursts) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(sleepMillis));
                    }
                    long start = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < n; i++) {
                        worker.record(events[next[0]++ & (RING - 1)]);
                    }
                    cpu += threads.getCurrentThreadCpuTime() - start;
                    done += n;
                }
                results[m][r] = cpu / (double) perRound;
            }
            neighbourRuns = false;
            System.out.printf("round %d of %d done%n", r + 1, rounds);
        }
        System.out.printf("%-36s %12s %18s%n", "mode", "ns/event", "range");
        for (int m = 0; m < modes.length; m++) {
            double[] sorted = results[m].clone();
            Arrays.sort(sorted);
            System.out.printf("%-36s %12.1f %10.1f-%-8.1f%n", modes[m], sorted[rounds / 2], sorted[0],
                    sorted[rounds - 1]);
        }
    }

    /** The load comparison's request as the advice makes it, each string its own copy. */
    static RequestEvent event() {
        RequestEvent event = new RequestEvent();
        event.method = new String("GET");
        event.requestUri = new String("/api/users/42");
        event.contextPath = new String("");
        event.userAgent = new String(USER_AGENT);
        event.host = new String("127.0.0.1:8080");
        event.remoteAddr = new String("127.0.0.1");
        event.status = 200;
        event.durationNanos = 20_000;
        return event;
    }

    /** Reads a line of a 32 MiB array at a time while {@link #neighbourRuns}, else sleeps. */
    private static void readMemory() {
        long[] memory = new long[4 << 20];
        long sum = 0;
        int index = 0;
        while (true) {
            if (!neighbourRuns) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                continue;
            }
            for (int i = 0; i < 1 << 16; i++) {
                sum += memory[index];
                memory[index] = sum;
                index = (index + 8) & (memory.length - 1);
            }
            neighbourSink = sum;
        }
    }
}
