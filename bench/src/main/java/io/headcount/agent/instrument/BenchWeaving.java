package io.headcount.agent.instrument;

/**
 * Lets the benchmarks weave the agent's real advice into servlet classes without attaching an
 * agent: it runs the same transformer the agent installs, with the same gate. It sits in the
 * agent's package because the transformer is package-private; on the class path that is the same
 * runtime package.
 */
public final class BenchWeaving {
    private final ServletTransformer transformer = new ServletTransformer();

    /**
     * @param loader the class loader that sees the servlet API and the agent's classes
     * @return the class file with the advice inlined, or the class file as it was when the agent
     *     leaves this class alone
     */
    public byte[] weave(ClassLoader loader, String className, byte[] classFile) {
        byte[] woven = transformer.transform(loader, className.replace('.', '/'), null, null, classFile);
        return woven == null ? classFile : woven;
    }

    /** Whether the agent's transformer would weave this class at all. */
    public boolean weaves(ClassLoader loader, String className, byte[] classFile) {
        return transformer.adviceFor(className.replace('.', '/'), classFile, loader) != null;
    }
}
