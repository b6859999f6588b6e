package io.headcount.agent.bootstrap;

import java.lang.ref.WeakReference;

/**
 * The advised calls under way on one thread ({@link HeadcountSink#enterCall}): how many, when the
 * outermost began, and the request it serves. Read and written by that thread only; public so that
 * advice inlined into any class loader's classes reads the fields directly.
 */
public final class ThreadCalls {
    /** Advised calls under way: 1 in the outermost. */
    public int depth;
    /** When the outermost call began, or {@link HeadcountSink#NOT_COUNTED} when it does not count. */
    public long start = HeadcountSink.NOT_COUNTED;
    /**
     * The container's own request object of the outermost call, under any wrappers; null between
     * requests. A request dispatch with another one below a depth of 1 shows a lost exit (see
     * the advice), not a call nested in this request.
     */
    public Object request;
    /**
     * The thread it belongs to, weakly, so that a shared slot holding it keeps no dead thread (nor
     * its context class loader) alive; final, so another thread reading it from that slot sees it
     * whole.
     */
    final WeakReference<Thread> owner;

    ThreadCalls(Thread owner) {
        this.owner = new WeakReference<>(owner);
    }
}
