package io.headcount.bench;

/**
 * The request thread's side for {@link WorkerAB}'s {@code advice} option: the container's call of
 * the woven {@code HttpServlet.service} on Tomcat's own request objects, as
 * {@link AdvicePathBenchmark#serviceOnTomcat} makes it, set up by that benchmark's own states (the
 * agent's sink and queue with a thread that drains it, the servlet woven by the agent's transformer).
 * Loaded from each build's jar, so each side runs its own advice, sink and header reader. The
 * servlet can also be left as it is ({@code plain}), so that the paired difference between the
 * two is what the advice costs a request on Tomcat.
 *
 * <p>With {@code -Dheadcount.bench.evict=KiB} each request is preceded by a read of that many KiB,
 * a line at a time, which pushes the advice's code and data out of the core's own caches as the
 * rest of a real server's request does (its 16 us of Tomcat and app code); both sides read the
 * same, so the paired difference is then what the advice costs a request with cold caches.
 */
public final class AdviceLoop {
    private static final int EVICT_BYTES = Integer.getInteger("headcount.bench.evict", 0) * 1024;
    private static final int LINE = 64;

    private final AdvicePathBenchmark.Servlets servlets = new AdvicePathBenchmark.Servlets();
    private final AdvicePathBenchmark.OnTomcat tomcat = new AdvicePathBenchmark.OnTomcat();
    private final byte[] evicting = new byte[EVICT_BYTES];
    /** What the evicting reads add up to, kept so that the JIT cannot drop them. */
    public long evicted;

    /** @param servlet {@code advised} or {@code plain} */
    public AdviceLoop(String servlet) {
        servlets.servlet = servlet;
        servlets.weave();
        new AdvicePathBenchmark.Sink().install();
        tomcat.generate();
    }

    /** {@code count} requests of the mix served through the woven servlet. */
    public void run(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            if (EVICT_BYTES > 0) {
                evict();
            }
            servlets.instance.service(tomcat.tomcat.next(), tomcat.tomcat.response());
        }
    }

    private void evict() {
        long sum = evicted;
        for (int at = 0; at < EVICT_BYTES; at += LINE) {
            sum += evicting[at] + at;
        }
        evicted = sum;
    }
}
