package io.headcount.agent.visitors;

import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A command that leaves its connection's count of unanswered commands when it ends, however it
 * ends: a reply (an error reply too), a failure lettuce reports (a closed connection), or a cancel
 * (a batch closed before it was sent). Each of those paths ends in one of the methods below. The count is given back once even when two of them race, and
 * before the future completes, so whoever sees the reply sees the count without it.
 */
final class CountedCommand<T> extends AsyncCommand<byte[], byte[], T> {
    private static final AtomicIntegerFieldUpdater<CountedCommand> COUNTED =
            AtomicIntegerFieldUpdater.newUpdater(CountedCommand.class, "counted");

    private final AtomicInteger unanswered;
    private volatile int counted = 1;

    CountedCommand(RedisCommand<byte[], byte[], T> command, AtomicInteger unanswered) {
        super(command);
        this.unanswered = unanswered;
    }

    /** A reply: lettuce completes the future from here, with the value or with the error reply's exception. */
    @Override
    protected void completeResult() {
        leave();
        super.completeResult();
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        leave();
        return super.completeExceptionally(ex);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        leave();
        return super.cancel(mayInterruptIfRunning);
    }

    /** Each path calls this first: it is about to end the command, or another path already has. */
    private void leave() {
        if (COUNTED.compareAndSet(this, 1, 0)) {
            unanswered.decrementAndGet();
        }
    }
}
