package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * Lettuce decides once per class loader whether to record JFR events, so each case loads lettuce
 * afresh in a class loader of its own: what another test of this JVM did first cannot decide it.
 */
class LettuceFlightRecorderTest {
    @Test
    void lettuceLoadedAloneRecordsToJfr() throws Exception {
        try (URLClassLoader fresh = freshLoader()) {
            assertEquals("JfrEventRecorder", recorderOf(fresh), "the default that the agent turns off");
        }
    }

    @Test
    void theAgentLeavesTheRecorderOutAndClearsTheProperty() throws Exception {
        try (URLClassLoader fresh = freshLoader()) {
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
        try (URLClassLoader fresh = freshLoader()) {
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

    /** The test class path (Surefire's manifest-only jar included: the loader follows its Class-Path). */
    private static URLClassLoader freshLoader() throws MalformedURLException {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = new File(entries[i]).toURI().toURL();
        }
        return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }
}
