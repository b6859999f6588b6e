package io.headcount.agent.visitors;

import io.lettuce.core.event.jfr.EventRecorder;

/**
 * Keeps the agent's copy of lettuce from recording its connection events in the app's Java Flight
 * Recorder. Left on, lettuce turns every connect and reconnect into a JFR event named after the
 * agent's relocated classes, noise in the app's own recordings, and loading JFR's event classes and
 * their instrumentation costs the app's JVM about 120 classes and 1.2 MB of memory.
 *
 * <p>Lettuce's only switch is a system property read once, when its recorder's holder class is
 * initialized: set for that alone ({@link ShadedProperty}).
 */
final class LettuceFlightRecorder {
    /** Relocated with lettuce: in the agent's jar this is {@code io.headcount.shaded.io.lettuce.core.jfr}. */
    static final String PROPERTY = "io.lettuce.core.jfr";

    private LettuceFlightRecorder() {
    }

    /** Initializes lettuce's event recorder without JFR, unless the operator set the property: lettuce obeys theirs. Idempotent. */
    static void leaveOut() {
        ShadedProperty.initializeWith(PROPERTY, "false", EventRecorder::getInstance);
    }
}
