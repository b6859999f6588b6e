package io.headcount.agent.visitors;

import io.lettuce.core.event.Event;
import io.lettuce.core.event.EventBus;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;

/**
 * Lettuce's events, handed in order to the agent's one listener on the I/O thread after the work at hand, as
 * lettuce's own bus delivers them to a subscriber. Lettuce only publishes to its bus and never
 * reads it; its own bus is a Reactor sink delivered through a Reactor scheduler, about 60 more of
 * Reactor's classes in the app's JVM for the two kinds of event the agent reads.
 */
final class AgentEventBus implements EventBus {
    private final EventExecutorGroup deliveries;
    private volatile Consumer<Event> listener = event -> { };

    AgentEventBus(EventExecutorGroup deliveries) {
        this.deliveries = deliveries;
    }

    /** The one listener; events published before it was set are not kept for it. */
    void listen(Consumer<Event> listener) {
        this.listener = listener;
    }

    /** Not offered: the agent listens through {@link #listen}, and lettuce does not subscribe. */
    @Override
    public Flux<Event> get() {
        throw new UnsupportedOperationException("the agent's Redis event bus has one listener, set by listen()");
    }

    @Override
    public void publish(Event event) {
        Consumer<Event> current = listener;
        try {
            deliveries.execute(() -> current.accept(event));
        } catch (RejectedExecutionException closing) {
            // The connector is closing: nobody is left to tell.
        }
    }
}
