package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.testsupport.FreshClassLoader;
import io.headcount.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AgentClientResourcesTest {
    private static final String DNS_RESOLVER = "io.netty.resolver.dns.DnsAddressResolverGroup";

    @Test
    void lettucesOwnResourcesLoadNettysDnsResolver() throws Exception {
        try (FreshClassLoader fresh = new FreshClassLoader()) {
            Class.forName("io.lettuce.core.resource.DefaultClientResources", true, fresh);
            assertTrue(fresh.loaded(DNS_RESOLVER), "what the agent's resources avoid");
        }
    }

    @Test
    void theAgentsClientLoadsNoneOfIt() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (FreshClassLoader fresh = new FreshClassLoader()) {
            AutoCloseable connector = (AutoCloseable) Class.forName(RedisConnector.class.getName(), true, fresh)
                    .getConstructor(String.class, boolean.class, Duration.class)
                    .newInstance("redis://127.0.0.1:6379", false, Duration.ofSeconds(1));
            connector.close();
            // The I/O thread starts to stop itself; it must be gone before its class loader closes.
            assertEquals(Set.of(), awaitNoLettuceThreads(before));
            assertFalse(fresh.loaded(DNS_RESOLVER));
            assertFalse(fresh.loaded("io.lettuce.core.resource.DefaultClientResources"));
            assertFalse(fresh.loaded("reactor.core.publisher.Sinks"), "lettuce's own event bus is a Reactor sink");
        }
    }

    @Test
    void closingTheConnectorStopsLettucesThreads() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (RedisServerProcess server = RedisServerProcess.start()) {
            RedisConnector redis = new RedisConnector(server.url(), false, Duration.ofSeconds(5));
            redis.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (redis.reads() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0L, redis.reads().exists("key".getBytes()).get(5, TimeUnit.SECONDS));
            Set<String> started = lettuceThreads(before);
            assertEquals(Set.of("lettuce-nioEventLoop"), started, "lettuce's events and timer run on its I/O thread");
            // The agent's own connecting thread ends once it has connected and idled for a second.
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (liveThreadNamed("headcount-redis", before) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(liveThreadNamed("headcount-redis", before));
            assertEquals(0L, redis.reads().exists("key".getBytes()).get(5, TimeUnit.SECONDS), "still connected");

            redis.close();
            assertEquals(Set.of(), awaitNoLettuceThreads(before));
        }
    }

    /** The kinds of lettuce threads started since {@code before} still alive after up to 10 s. */
    private static Set<String> awaitNoLettuceThreads(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!lettuceThreads(before).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return lettuceThreads(before);
    }

    private static boolean liveThreadNamed(String name, Set<Thread> before) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(thread) && thread.isAlive() && thread.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The kinds of live lettuce threads started since {@code before}: names without their counters. */
    private static Set<String> lettuceThreads(Set<Thread> before) {
        Set<String> kinds = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(thread) && thread.isAlive() && thread.getName().startsWith("lettuce-")) {
                kinds.add(thread.getName().replaceAll("-[0-9-]+$", ""));
            }
        }
        return kinds;
    }
}
