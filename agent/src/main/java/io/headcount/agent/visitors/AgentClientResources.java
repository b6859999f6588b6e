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
import io.lettuce.core.tracing.Tracing;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseCombiner;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What lettuce's client needs to run, made for the agent's one client: one I/O thread, one thread
 * for lettuce's events, a timer, an event bus with one listener ({@link AgentEventBus}), the JDK's
 * resolver, no latency metrics and no tracing. These are
 * the values the agent gave lettuce's {@code DefaultClientResources} builder before; it makes them
 * itself because that class's initializer builds Netty's own DNS resolver as its static default
 * (about 60 classes of netty-resolver-dns and its DNS codec, loaded into the app's JVM) even for a
 * client that is given another resolver. The resources own their threads and stop them in
 * {@link #shutdown}.
 */
final class AgentClientResources implements ClientResources {
    /** One worker and two connections (a cluster's few more): one thread of each kind is plenty. */
    private final EventLoopGroupProvider ioThreads = new DefaultEventLoopGroupProvider(1);
    private final EventExecutorGroup eventThreads =
            new DefaultEventExecutorGroup(1, new DefaultThreadFactory("lettuce-eventExecutorLoop", true));
    private final HashedWheelTimer timer = new HashedWheelTimer(new DefaultThreadFactory("lettuce-timer", true));
    private final AgentEventBus eventBus;
    private final NettyCustomizer nettyCustomizer;
    private final Supplier<Delay> reconnectDelay;
    private final SocketAddressResolver addresses = SocketAddressResolver.create(DnsResolvers.UNRESOLVED);

    AgentClientResources(NettyCustomizer nettyCustomizer, Supplier<Delay> reconnectDelay) {
        this.nettyCustomizer = nettyCustomizer;
        this.reconnectDelay = reconnectDelay;
        this.eventBus = new AgentEventBus(eventThreads);
        timer.start();
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

    /** Stops the timer and both thread groups; the future tells when the groups have stopped. */
    @Override
    public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit timeUnit) {
        timer.stop();
        PromiseCombiner groups = new PromiseCombiner(ImmediateEventExecutor.INSTANCE);
        groups.add(ioThreads.shutdown(quietPeriod, timeout, timeUnit));
        groups.add(eventThreads.shutdownGracefully(quietPeriod, timeout, timeUnit));
        Promise<Void> stopped = ImmediateEventExecutor.INSTANCE.newPromise();
        groups.finish(stopped);
        Promise<Boolean> done = ImmediateEventExecutor.INSTANCE.newPromise();
        stopped.addListener(future -> done.setSuccess(future.isSuccess()));
        return done;
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
