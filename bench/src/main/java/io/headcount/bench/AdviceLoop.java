package io.headcount.bench;

/**
 * The request thread's side for {@link WorkerAB}'s {@code advice} option: the container's call of
 * the woven {@code HttpServlet.service} on Tomcat's own request objects, as
 * {@link AdvicePathBenchmark#serviceOnTomcat} makes it, set up by that benchmark's own states (the
 * agent's sink and queue with a thread that drains it, the servlet woven by the agent's transformer).
 * Loaded from each build's jar, so each side runs its own advice, sink and header reader. The
 * servlet can also be left as it is ({@code plain}), so that the paired difference between the
 * two is what the advice costs a request on Tomcat.
 */
public final class AdviceLoop {
    private final AdvicePathBenchmark.Servlets servlets = new AdvicePathBenchmark.Servlets();
    private final AdvicePathBenchmark.OnTomcat tomcat = new AdvicePathBenchmark.OnTomcat();

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
            servlets.instance.service(tomcat.tomcat.next(), tomcat.tomcat.response());
        }
    }
}
