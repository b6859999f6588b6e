package io.headcount.agent;

import io.headcount.agent.bootstrap.EventQueue;
import io.headcount.agent.bootstrap.RequestEvent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The real worker thread ({@link EventWorker}: its queue, its sleeps, its bursts) fed at a fixed rate
 * by another thread, as request threads feed it at the fixed rate of {@code bench/overhead.sh};
 * prints the worker thread's CPU time per event. Run the JVM on two CPUs ({@code taskset -c 0,1}) so
 * that the two threads run on different ones, as they do there.
 *
 * <p>Modes, alternated round by round:
 * <ul>
 *   <li>{@code fresh}: each event is built just before it is offered, with its own copies of the
 *   strings, as the advice builds it: the worker reads what another core has just written;</li>
 *   <li>{@code reused}: the same 8,192 events, built once, offered over and over: the hand-off
 *   and the sleeps without the new objects.</li>
 * </ul>
 * The request is the load comparison's ({@code GET /api/users/42}, one Chrome User-Agent, one
 * client, status 200), see {@link WorkerBursts}.
 *
 * Beside the CPU time it prints how often the worker woke (its voluntary context switches, from
 * Linux's /proc; -1 elsewhere): on a virtual machine each wake-up costs tens of microseconds.
 *
 * <p>Arguments: [rounds] [seconds per round] [events per second].
 */
public final class WorkerHandOff {
    private static final int RING = 1 << 13;

    private WorkerHandOff() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 28_000;
        EventQueue queue = new EventQueue(8192);
        InMemoryRecorders.Wired wired = InMemoryRecorders.withDefaultSettings();
        EventWorker worker = new EventWorker(queue, wired.recorder, false, wired.clock);
        worker.start();
        long workerId = workerThreadId();
        RequestEvent[] reused = new RequestEvent[RING];
        for (int i = 0; i < RING; i++) {
            reused[i] = WorkerBursts.event();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String[] modes = {"fresh", "reused"};
        double[][] results = new double[modes.length][rounds];
        double[][] wakes = new double[modes.length][rounds];
        long[] dropped = new long[modes.length];
        offer(queue, reused, true, rate, 10);
        for (int r = 0; r < rounds; r++) {
            for (int m = 0; m < modes.length; m++) {
                awaitDrained(queue, worker);
                long offeredBefore = queue.offered();
                long cpuBefore = threads.getThreadCpuTime(workerId);
                long switchesBefore = workerSwitches();
                dropped[m] += offer(queue, reused, m == 0, rate, seconds);
                wakes[m][r] = (workerSwitches() - switchesBefore) / (double) seconds;
                awaitDrained(queue, worker);
                results[m][r] = (threads.getThreadCpuTime(workerId) - cpuBefore)
                        / (double) (queue.offered() - offeredBefore);
            }
            System.out.printf("round %d of %d done%n", r + 1, rounds);
        }
        worker.stop();
        System.out.printf("%-10s %12s %18s %14s %10s%n", "mode", "ns/event", "range", "wake-ups/s", "dropped");
        for (int m = 0; m < modes.length; m++) {
            double[] sorted = results[m].clone();
            Arrays.sort(sorted);
            double[] sortedWakes = wakes[m].clone();
            Arrays.sort(sortedWakes);
            System.out.printf("%-10s %12.1f %10.1f-%-8.1f %12.1f %10d%n", modes[m], sorted[rounds / 2], sorted[0],
                    sorted[rounds - 1], sortedWakes[rounds / 2], dropped[m]);
        }
    }

    /** Offers {@code rate} events a second for {@code seconds}, a millisecond's share at a time; returns those refused. */
    private static long offer(EventQueue queue, RequestEvent[] reused, boolean fresh, int rate, int seconds) {
        long refused = 0;
        long start = System.nanoTime();
        long sent = 0;
        int next = 0;
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (long now = start; now < end; now = System.nanoTime()) {
            long due = (now - start) * rate / 1_000_000_000L;
            for (; sent < due; sent++) {
                RequestEvent event = fresh ? WorkerBursts.event() : reused[next++ & (RING - 1)];
                if (!queue.offer(event)) {
                    refused++;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return refused;
    }

    private static void awaitDrained(EventQueue queue, EventWorker worker) {
        worker.awaitCaughtUp(1000);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(30));
    }

    /**
     * The worker thread's voluntary context switches so far, from Linux's /proc: one per sleep it
     * did not find cut short. -1 where there is no /proc.
     */
    private static long workerSwitches() {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
            for (Path task : tasks) {
                if (new String(Files.readAllBytes(task.resolve("comm")), StandardCharsets.US_ASCII).startsWith("headcount-work")) {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long workerThreadId() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("headcount-worker")) {
                return thread.getId();
            }
        }
        throw new IllegalStateException("no headcount-worker thread");
    }
}
