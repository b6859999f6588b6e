package io.headcount.bench;

import io.headcount.agent.InMemoryRecorders;
import io.headcount.agent.bootstrap.EventQueue;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.config.SettingDefinitions;
import io.headcount.agent.instrument.BenchWeaving;
import io.headcount.agent.instrument.JakartaServletAdvice;
import io.headcount.agent.instrument.TomcatHeaderReaders;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (a) What the agent costs a request thread, in ns per request.
 *
 * <p>{@code service}: the container's call of {@code HttpServlet.service} on a servlet that only
 * sets the status (overriding {@code doGet} and friends, like the test app's), with the servlet
 * classes passed through the agent's own transformer, so woven with its real advice
 * ({@code servlet=advised}), or left as they are ({@code servlet=plain}); the difference between the
 * two is the whole advice, enter and exit. {@code sinkRecord}: the advice alone, its real enter
 * and exit methods called on a Tomcat-like request without the servlet around them (the reads it
 * makes of the request, then the real sink), that is from method entry to the event offered.
 * {@code sinkRecordPrebuilt}: the sink alone, given strings
 * already in hand (event built and offered). The {@code TwoThreads} variants run two request threads
 * offering into the one queue at once.
 *
 * <p>Two modes: {@code sample} times single calls and gives the median (p0.50) and the tail, each
 * call including about 20-30 ns of timer reads that the {@code plain} baseline pays too;
 * {@code avgt} is the mean, which the tail (GC, a thread descheduled on a busy machine) pulls up.
 *
 * <p>Each call takes the next of 256 requests from the realistic {@link TrafficMix} and recycles
 * it first, as Tomcat does between requests. A drainer thread empties the queue the way the
 * agent's worker does (bursts, parking when it is empty) but discards the events, so the queue
 * never fills and the producer side is measured alone; the offers and drops of each trial are
 * printed at its end.
 */
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AdvicePathBenchmark {
    private static final int REQUESTS_PER_THREAD = 256;

    /** The servlet the container calls: advice woven in, or the untouched baseline. */
    @State(Scope.Benchmark)
    public static class Servlets {
        @Param({"advised", "plain"})
        public String servlet;

        Servlet instance;

        @Setup(Level.Trial)
        public void weave() {
            if ("advised".equals(servlet)) {
                BenchWeaving weaving = new BenchWeaving();
                ClassLoader loader = AdvicePathBenchmark.class.getClassLoader();
                byte[] httpServlet = ServletClassLoader.classBytes(loader, ServletClassLoader.HTTP_SERVLET);
                if (!weaving.weaves(loader, ServletClassLoader.HTTP_SERVLET, httpServlet)) {
                    throw new IllegalStateException("the agent's transformer no longer weaves HttpServlet");
                }
                instance = ServletClassLoader.servlet(weaving::weave);
            } else {
                instance = ServletClassLoader.servlet((loader, name, classFile) -> classFile);
            }
        }
    }

    /** The agent's queue, installed in the real sink, with a thread that keeps it from filling. */
    @State(Scope.Benchmark)
    public static class Sink {
        EventQueue queue;
        private Thread drainer;
        private volatile boolean stopped;
        private long droppedBefore;
        private long errorsBefore;

        @Setup(Level.Trial)
        public void install() {
            queue = new EventQueue(Integer.parseInt(SettingDefinitions.QUEUE_CAPACITY.defaultText()));
            // As the agent sets it up: Tomcat's headers in one pass (serviceOnTomcat), none for the model;
            // -Dheadcount.bench.headers=servlet-api as diagnostic.headers=servlet-api, for an A/B.
            HeadcountSink.readHeadersWith("servlet-api".equals(System.getProperty("headcount.bench.headers"))
                    ? null : new TomcatHeaderReaders());
            HeadcountSink.install(queue);
            droppedBefore = HeadcountSink.droppedEvents();
            errorsBefore = HeadcountSink.adviceErrors();
            stopped = false;
            drainer = new Thread(this::drain, "bench-drainer");
            drainer.setDaemon(true);
            drainer.start();
        }

        private void drain() {
            while (!stopped) {
                if (queue.poll() == null) {
                    LockSupport.parkNanos(50_000);
                }
            }
        }

        @TearDown(Level.Trial)
        public void uninstall() throws InterruptedException {
            stopped = true;
            drainer.join();
            long dropped = HeadcountSink.droppedEvents() - droppedBefore;
            System.out.printf("%n[sink] events offered: %d, dropped because the queue was full: %d (%.4f%%)%n",
                    queue.offered(), dropped, 100.0 * dropped / Math.max(1, queue.offered() + dropped));
            // A failing advice offers nothing and measures too little or, with an exception per
            // call, far too much: a benchmark request missing a call the advice makes did both.
            long errors = HeadcountSink.adviceErrors() - errorsBefore;
            if (errors > 0) {
                throw new IllegalStateException(errors + " advice calls failed; the figures are not the advice's");
            }
        }
    }

    /** Each request thread's own requests and response, as a container thread has. */
    @State(Scope.Thread)
    public static class Requests {
        TomcatLikeRequest[] requests;
        TrafficMix.Request[] raw;
        final StatusResponse response = new StatusResponse();
        int next;

        @Setup(Level.Trial)
        public void generate() {
            TrafficMix mix = new TrafficMix(3000, 20_000, 42);
            raw = mix.next(REQUESTS_PER_THREAD);
            requests = new TomcatLikeRequest[raw.length];
            for (int i = 0; i < raw.length; i++) {
                requests[i] = new TomcatLikeRequest(raw[i]);
            }
        }

        TrafficMix.Request nextRaw() {
            return raw[next++ & (REQUESTS_PER_THREAD - 1)];
        }

        TomcatLikeRequest nextRequest() {
            TomcatLikeRequest request = requests[next++ & (REQUESTS_PER_THREAD - 1)];
            request.recycle();
            response.recycle();
            return request;
        }
    }

    /** Each request thread's own Tomcat request and response, recycled between requests as Tomcat does. */
    @State(Scope.Thread)
    public static class OnTomcat {
        TomcatRequests tomcat;

        @Setup(Level.Trial)
        public void generate() {
            tomcat = new TomcatRequests(new TrafficMix(3000, 20_000, 42).next(REQUESTS_PER_THREAD));
        }
    }

    @Benchmark
    public void service(Servlets servlets, Sink sink, Requests requests) throws Exception {
        servlets.instance.service(requests.nextRequest(), requests.response);
    }

    /** As {@link #service}, on Tomcat's own request and response objects instead of the model of them. */
    @Benchmark
    public void serviceOnTomcat(Servlets servlets, Sink sink, OnTomcat requests) throws Exception {
        HttpServletRequest request = requests.tomcat.next();
        servlets.instance.service(request, requests.tomcat.response());
    }

    @Benchmark
    @Threads(2)
    public void serviceTwoThreads(Servlets servlets, Sink sink, Requests requests) throws Exception {
        servlets.instance.service(requests.nextRequest(), requests.response);
    }

    @Benchmark
    public void sinkRecord(Sink sink, Requests requests) {
        adviceAlone(requests.nextRequest(), requests.response);
    }

    @Benchmark
    @Threads(2)
    public void sinkRecordTwoThreads(Sink sink, Requests requests) {
        adviceAlone(requests.nextRequest(), requests.response);
    }

    /** The advice's own methods, the very bytecode that the call weaver copies into a servlet. */
    private static void adviceAlone(TomcatLikeRequest request, StatusResponse response) {
        JakartaServletAdvice.enter(request);
        JakartaServletAdvice.exit(request, response, null);
    }

    /**
     * The sink alone with the values already in hand: building the event and offering it, without
     * the reads from the request that turn its header bytes into strings.
     */
    @Benchmark
    public void sinkRecordPrebuilt(Sink sink, Requests requests) {
        HeadcountSink.record(InMemoryRecorders.event(requests.nextRaw()));
    }
}
