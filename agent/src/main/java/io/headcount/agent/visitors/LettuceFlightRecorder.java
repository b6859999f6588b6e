package io.headcount.agent.visitors;

import io.lettuce.core.event.jfr.EventRecorder;

/**
 * Keeps the agent's copy of lettuce from recording its connection events in the app's Java Flight
 * Recorder. Left on, lettuce turns every connect and reconnect into a JFR event named after the
 * agent's relocated classes, noise in the app's own recordings, and loading JFR's event classes and
 * their instrumentation costs the app's JVM about 120 classes and 1.2 MB of memory.
 *
 * <p>Lettuce's only switch is a system property read once, when its recorder's holder class is
 * initialized. The shade plugin relocates the property's name with lettuce's packages, so only the
 * agent's copy reads it. It is set just for that initialization and cleared at once: the app's
 * system properties are left as they were. A value the operator gave on the command line is kept.
 */
final class LettuceFlightRecorder {
    /** Relocated with lettuce: in the agent's jar this is {@code io.headcount.shaded.io.lettuce.core.jfr}. */
    static final String PROPERTY = "io.lettuce.core.jfr";

    private LettuceFlightRecorder() {
    }

    /** Initializes lettuce's event recorder without JFR, unless the operator set the property: lettuce obeys theirs. Idempotent. */
    static synchronized void leaveOut() {
        try {
            if (System.getProperty(PROPERTY) != null) {
                return;
            }
            System.setProperty(PROPERTY, "false");
            try {
                EventRecorder.getInstance();
            } finally {
                System.clearProperty(PROPERTY);
            }
        } catch (SecurityException refused) {
            // A security manager that refuses property writes leaves lettuce its recorder: a cost, not a fault.
        }
    }
}
