package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.event.Event;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AgentEventBusTest {
    private static final class Numbered implements Event {
        final int number;

        Numbered(int number) {
            this.number = number;
        }
    }

    @Test
    void eventsReachTheListenerInOrderOnTheEventThread() throws Exception {
        DefaultEventExecutorGroup events = new DefaultEventExecutorGroup(1, new DefaultThreadFactory("events", true));
        try {
            AgentEventBus bus = new AgentEventBus(events);
            List<Integer> seen = new ArrayList<>();
            List<String> threads = new ArrayList<>();
            CountDownLatch all = new CountDownLatch(1000);
            bus.listen(event -> {
                seen.add(((Numbered) event).number);
                threads.add(Thread.currentThread().getName().replaceAll("-[0-9-]+$", ""));
                all.countDown();
            });
            List<Integer> sent = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                bus.publish(new Numbered(i));
                sent.add(i);
            }
            assertTrue(all.await(10, TimeUnit.SECONDS));
            events.submit(() -> { }).get(10, TimeUnit.SECONDS);
            assertEquals(sent, seen);
            assertEquals(List.of("events"), threads.stream().distinct().collect(java.util.stream.Collectors.toList()));
        } finally {
            events.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void publishingAfterTheEventThreadStoppedIsHarmless() throws Exception {
        DefaultEventExecutorGroup events = new DefaultEventExecutorGroup(1, new DefaultThreadFactory("events", true));
        AgentEventBus bus = new AgentEventBus(events);
        events.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        bus.publish(new Numbered(1));
        assertThrows(UnsupportedOperationException.class, bus::get);
    }
}
