package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.util.Timeout;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopTimerTest {
    private final DefaultEventLoopGroup loop = new DefaultEventLoopGroup(1);
    private final EventLoopTimer timer = new EventLoopTimer(loop);

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void runsEachTaskOnceAfterItsDelayInOrder() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        long start = System.nanoTime();
        Timeout later = timer.newTimeout(t -> {
            ran.add("later");
            done.countDown();
        }, 60, TimeUnit.MILLISECONDS);
        Timeout sooner = timer.newTimeout(t -> {
            ran.add("sooner");
            done.countDown();
        }, 20, TimeUnit.MILLISECONDS);
        assertFalse(later.isExpired());
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(60));
        assertEquals(List.of("sooner", "later"), ran);
        assertTrue(later.isExpired());
        assertTrue(sooner.isExpired());
        assertFalse(later.isCancelled());
        assertFalse(later.cancel(), "an expired timeout cannot be cancelled");
        assertSame(timer, later.timer());
    }

    @Test
    void aCancelledTaskNeverRuns() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        Timeout cancelled = timer.newTimeout(t -> ran.add("cancelled"), 30, TimeUnit.MILLISECONDS);
        assertTrue(cancelled.cancel());
        assertFalse(cancelled.cancel(), "only the first cancel succeeds");
        CountDownLatch after = new CountDownLatch(1);
        timer.newTimeout(t -> after.countDown(), 80, TimeUnit.MILLISECONDS);
        assertTrue(after.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(), ran);
        assertTrue(cancelled.isCancelled());
        assertFalse(cancelled.isExpired());
    }

    @Test
    void aTaskThatThrowsLeavesTheLoopRunningTheNext() throws Exception {
        timer.newTimeout(t -> {
            throw new IllegalStateException("lettuce's task failed");
        }, 0, TimeUnit.MILLISECONDS);
        CountDownLatch next = new CountDownLatch(1);
        timer.newTimeout(t -> next.countDown(), 10, TimeUnit.MILLISECONDS);
        assertTrue(next.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aStoppedTimerTakesNoNewTimeouts() {
        assertEquals(Set.of(), timer.stop());
        assertThrows(IllegalStateException.class, () -> timer.newTimeout(t -> { }, 1, TimeUnit.MILLISECONDS));
    }
}
