package io.headcount.agent.visitors;

import io.lettuce.core.event.DefaultEventPublisherOptions;
import io.lettuce.core.event.EventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultEventLoopGroupProvider;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DnsResolvers;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.SocketAddressResolver;
import io.lettuce.core.resource.Transports;
import io.lettuce.core.tracing.Tracing;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.Timer;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What lettuce's client needs to run, made for the agent's one client: one I/O thread, which also
 * runs lettuce's own tasks and its timer ({@link EventLoopTimer}), an event bus with one listener
 * ({@link AgentEventBus}), the JDK's resolver, no latency metrics and no tracing. The agent makes
 * them itself rather than through lettuce's {@code DefaultClientResources} builder because that
 * class's initializer builds Netty's own DNS resolver as its static default (about 60 classes of
 * netty-resolver-dns and its DNS codec, loaded into the app's JVM) even for a client that is given
 * another resolver. The resources own their thread and stop it in {@link #shutdown}.
 */
final class AgentClientResources implements ClientResources {
    /** One worker and two connections (a cluster's few more): one I/O thread is plenty. */
    private final EventLoopGroupProvider ioThreads = new DefaultEventLoopGroupProvider(1);
    /**
     * The I/O thread's group, which also runs lettuce's own tasks (events, reconnect steps) and
     * its timer: those are few, short and never block, and two more threads would each keep a
     * stack, an allocation buffer and, for the timer, ten wake-ups a second. Allocated from the
     * provider, so lettuce's own allocation for its channels gets the same group; this reference
     * keeps it running until {@link #shutdown}.
     */
    private final EventExecutorGroup eventThreads = ioThreads.allocate(Transports.eventLoopGroupClass());
    private final EventLoopTimer timer = new EventLoopTimer(eventThreads);
    private final AgentEventBus eventBus;
    private final NettyCustomizer nettyCustomizer;
    private final Supplier<Delay> reconnectDelay;
    private final SocketAddressResolver addresses = SocketAddressResolver.create(DnsResolvers.UNRESOLVED);

    AgentClientResources(NettyCustomizer nettyCustomizer, Supplier<Delay> reconnectDelay) {
        this.nettyCustomizer = nettyCustomizer;
        this.reconnectDelay = reconnectDelay;
        this.eventBus = new AgentEventBus(eventThreads);
    }

    /** Not offered: the agent's resources are made once, here. */
    @Override
    public Builder mutate() {
        throw new UnsupportedOperationException("the agent's Redis client resources cannot be changed");
    }

    @Override
    public Future<Boolean> shutdown() {
        return shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** Stops the timer and the I/O thread; the future tells when it has stopped. */
    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit timeUnit) {
        timer.stop();
        return ioThreads.shutdown(quietPeriod, timeout, timeUnit);
    }

    /** The JDK's resolver, through Netty's adapter; host names are looked up when a connection is made. */
    @Override
    public AddressResolverGroup<?> addressResolverGroup() {
        return DefaultAddressResolverGroup.INSTANCE;
    }

    @Override
    public EventPublisherOptions commandLatencyPublisherOptions() {
        return DefaultEventPublisherOptions.disabled();
    }

    @Override
    public CommandLatencyRecorder commandLatencyRecorder() {
        return CommandLatencyRecorder.disabled();
    }

    @Override
    public int computationThreadPoolSize() {
        return 1;
    }

    @Override
    public AgentEventBus eventBus() {
        return eventBus;
    }

    @Override
    public EventLoopGroupProvider eventLoopGroupProvider() {
        return ioThreads;
    }

    @Override
    public EventExecutorGroup eventExecutorGroup() {
        return eventThreads;
    }

    @Override
    public int ioThreadPoolSize() {
        return ioThreads.threadPoolSize();
    }

    @Override
    public NettyCustomizer nettyCustomizer() {
        return nettyCustomizer;
    }

    /** A new delay per connection, as lettuce's own resources give it: some delays keep state. */
    @Override
    public Delay reconnectDelay() {
        return reconnectDelay.get();
    }

    @Override
    public SocketAddressResolver socketAddressResolver() {
        return addresses;
    }

    @Override
    public Timer timer() {
        return timer;
    }

    @Override
    public Tracing tracing() {
        return Tracing.disabled();
    }
}
