package io.headcount.agent;

/**
 * The outcome of the agent's latest load in this JVM, published as the system property
 * {@value #PROPERTY} so that {@code attach} can read it back through the attach API and report
 * what really happened. Not under {@code headcount.}: those system properties are settings.
 */
final class AgentState {
    static final String PROPERTY = "io.headcount.agent.state";
    static final String STARTED = "started";
    static final String ALREADY_RUNNING = "already-running";
    /** Followed by a space and the log line that says why. */
    static final String OFF = "off";
    /** Followed by a space and the log line that says why. */
    static final String FAILED = "failed";

    private AgentState() {
    }

    static void publish(String state) {
        try {
            System.setProperty(PROPERTY, state);
        } catch (RuntimeException e) {
            // A security manager may refuse: attach then reports that no outcome was published.
        }
    }

    static void publish(String state, String reason) {
        publish(state + " " + reason);
    }
}
