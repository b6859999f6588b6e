package io.headcount.agent.visitors;

import io.netty.buffer.ByteBufAllocator;

/**
 * Keeps the agent's copy of Netty from building its default allocator, which in Netty 4.2 pools:
 * its magazines and chunk caches held about 0.9 MB of the app's heap and loaded 42 classes, although
 * the agent's channels are given unpooled buffers ({@link RedisConnector}). Netty builds it when
 * {@code ByteBufUtil} initializes, whoever touches it first, from a system property read then: set
 * for that alone ({@link ShadedProperty}).
 */
final class NettyDefaultAllocator {
    /** Relocated with Netty: in the agent's jar this is {@code io.headcount.shaded.io.netty.allocator.type}. */
    static final String PROPERTY = "io.netty.allocator.type";

    private NettyDefaultAllocator() {
    }

    /** Makes Netty's default allocator the unpooled one, unless the operator set the property: Netty obeys theirs. Idempotent. */
    static void unpooled() {
        ShadedProperty.initializeWith(PROPERTY, "unpooled", () -> ByteBufAllocator.DEFAULT.isDirectBufferPooled());
    }
}
