package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.headcount.testsupport.FreshClassLoader;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * Lettuce decides once per class loader whether to record JFR events, so each case loads lettuce
 * afresh in a class loader of its own: what another test of this JVM did first cannot decide it.
 */
class LettuceFlightRecorderTest {
    @Test
    void lettuceLoadedAloneRecordsToJfr() throws Exception {
        try (FreshClassLoader fresh = new FreshClassLoader()) {
            assertEquals("JfrEventRecorder", recorderOf(fresh), "the default that the agent turns off");
        }
    }

    @Test
    void theAgentLeavesTheRecorderOutAndClearsTheProperty() throws Exception {
        try (FreshClassLoader fresh = new FreshClassLoader()) {
            leaveOutIn(fresh);
            assertEquals("NoOpEventRecorder", recorderOf(fresh));
            assertNull(System.getProperty(LettuceFlightRecorder.PROPERTY));
            leaveOutIn(fresh);
            assertNull(System.getProperty(LettuceFlightRecorder.PROPERTY), "a second call changes nothing");
        }
    }

    @Test
    void anOperatorsValueIsKeptAndObeyed() throws Exception {
        System.setProperty(LettuceFlightRecorder.PROPERTY, "true");
        try (FreshClassLoader fresh = new FreshClassLoader()) {
            leaveOutIn(fresh);
            assertEquals("JfrEventRecorder", recorderOf(fresh));
            assertEquals("true", System.getProperty(LettuceFlightRecorder.PROPERTY));
        } finally {
            System.clearProperty(LettuceFlightRecorder.PROPERTY);
        }
    }

    private static void leaveOutIn(ClassLoader loader) throws Exception {
        Method leaveOut = Class.forName(LettuceFlightRecorder.class.getName(), true, loader)
                .getDeclaredMethod("leaveOut");
        leaveOut.setAccessible(true);
        leaveOut.invoke(null);
    }

    private static String recorderOf(ClassLoader loader) throws Exception {
        Object recorder = Class.forName("io.lettuce.core.event.jfr.EventRecorder", true, loader)
                .getMethod("getInstance").invoke(null);
        return recorder.getClass().getSimpleName();
    }
}
