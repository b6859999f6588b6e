package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.headcount.testsupport.FreshClassLoader;
import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lettuce and Netty decide once per class loader, so each case loads them afresh in a class loader
 * of its own: what another test of this JVM did first cannot decide it. The tests run against the
 * libraries unshaded, so the properties have their libraries' own names here.
 */
class ShadedPropertyTest {
    /**
     * One library default that the agent changes, and how a test reads which it got: the simple
     * name of the class that {@code readerMember} of {@code readerClass} (a static method, or the
     * field {@code DEFAULT}) gives. {@code leftUnloaded}: a class that the library's default loads
     * and the agent's choice does not, or null.
     */
    record Case(Class<?> agentClass, String agentMethod, String property, String readerClass, String readerMember,
                String libraryDefault, String agentChoice, String operatorValue, String operatorChoice,
                String leftUnloaded) {
        @Override
        public String toString() {
            return property;
        }

        void callAgent(ClassLoader loader) throws Exception {
            Method called = Class.forName(agentClass.getName(), true, loader).getDeclaredMethod(agentMethod);
            called.setAccessible(true);
            called.invoke(null);
        }

        /** The simple name of the class the library chose. */
        String choice(ClassLoader loader) throws Exception {
            Class<?> reader = Class.forName(readerClass, true, loader);
            Object chosen = readerMember.equals("DEFAULT") ? reader.getField(readerMember).get(null)
                    : reader.getMethod(readerMember).invoke(null);
            return chosen.getClass().getSimpleName();
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(LettuceFlightRecorder.class, "leaveOut", LettuceFlightRecorder.PROPERTY,
                        "io.lettuce.core.event.jfr.EventRecorder", "getInstance",
                        "JfrEventRecorder", "NoOpEventRecorder", "true", "JfrEventRecorder", null),
                new Case(NettyDefaultAllocator.class, "unpooled", NettyDefaultAllocator.PROPERTY,
                        "io.netty.buffer.ByteBufAllocator", "DEFAULT",
                        "AdaptiveByteBufAllocator", "UnpooledByteBufAllocator", "pooled", "PooledByteBufAllocator",
                        "io.netty.buffer.AdaptivePoolingAllocator"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theLibraryLoadedAloneKeepsItsDefault(Case c) throws Exception {
        try (FreshClassLoader fresh = new FreshClassLoader()) {
            assertEquals(c.libraryDefault, c.choice(fresh), "the default that the agent changes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theAgentsChoiceHoldsAndThePropertyIsCleared(Case c) throws Exception {
        try (FreshClassLoader fresh = new FreshClassLoader()) {
            c.callAgent(fresh);
            assertEquals(c.agentChoice, c.choice(fresh));
            if (c.leftUnloaded != null) {
                assertFalse(fresh.loaded(c.leftUnloaded), c.leftUnloaded);
            }
            assertNull(System.getProperty(c.property));
            c.callAgent(fresh);
            assertNull(System.getProperty(c.property), "a second call changes nothing");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void anOperatorsValueIsKeptAndObeyed(Case c) throws Exception {
        System.setProperty(c.property, c.operatorValue);
        try (FreshClassLoader fresh = new FreshClassLoader()) {
            c.callAgent(fresh);
            assertEquals(c.operatorChoice, c.choice(fresh));
            assertEquals(c.operatorValue, System.getProperty(c.property));
        } finally {
            System.clearProperty(c.property);
        }
    }
}
