package io.headcount.agent.instrument;

/**
 * Lets the benchmarks weave the agent's real advice into {@code HttpServlet} without attaching an
 * agent: it runs the same transformer the agent installs. It sits in the agent's package because
 * the transformer is package-private; on the class path that is the same runtime package.
 */
public final class BenchWeaving {
    private BenchWeaving() {
    }

    /**
     * @param loader the class loader that sees the servlet API and the agent's classes
     * @return the class file with the advice inlined into {@code service}
     */
    public static byte[] weave(ClassLoader loader, String className, byte[] classFile) {
        byte[] woven = new ServletTransformer().transform(loader, className.replace('.', '/'), null, null, classFile);
        if (woven == null) {
            throw new IllegalStateException("the agent's transformer did not weave " + className
                    + " (see its log line above)");
        }
        return woven;
    }
}
