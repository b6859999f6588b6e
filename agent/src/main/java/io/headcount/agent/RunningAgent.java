package io.headcount.agent;

import io.headcount.agent.metrics.MetricsServer;
import io.headcount.agent.visitors.VisitorTracker;

/**
 * The agent once started: the owner of what its background start makes, the worker thread, the
 * metrics server and the visitor tracker (with its Redis connection), so that one {@link #close}
 * stops them all. What the background start makes after a close is closed as soon as it is made.
 */
final class RunningAgent implements AutoCloseable {
    private EventWorker worker;
    private MetricsServer server;
    private VisitorTracker visitors;
    private boolean closed;

    /** Called once by the background start; the server is null when metrics could not be served. */
    synchronized void own(EventWorker startedWorker, MetricsServer startedServer, VisitorTracker tracker) {
        worker = startedWorker;
        server = startedServer;
        visitors = tracker;
        if (closed) {
            close();
        }
    }

    /** The port metrics are served on; 0 before the background start served them, or when it could not. */
    synchronized int metricsPort() {
        return server == null || closed ? 0 : server.port();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (server != null) {
            server.close();
        }
        if (worker != null) {
            worker.stop();
        }
        if (visitors != null) {
            visitors.close();
        }
    }
}
