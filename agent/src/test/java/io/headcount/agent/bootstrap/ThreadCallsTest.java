package io.headcount.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each thread's advised calls, found through the slot of its id or its thread-local. */
class ThreadCallsTest {
    /**
     * Two threads whose ids share a slot, each inside a request while the other runs one: each
     * finds its own depth and start, though the other took the slot in between.
     */
    @Test
    void threadsWhoseIdsShareASlotKeepTheirOwnCalls() throws Exception {
        interleave(Thread::new, ThreadCallsTest::sharingTheSlotOf);
    }

    /** The same where a subclass of Thread gives both threads one id: the owner is the thread, not its id. */
    @Test
    void threadsThatClaimOneIdKeepTheirOwnCalls() throws Exception {
        interleave(task -> new ClaimsId(task), (first, task) -> new ClaimsId(task));
    }

    private static final class ClaimsId extends Thread {
        ClaimsId(Runnable task) {
            super(task);
        }

        @Override
        @SuppressWarnings("deprecation")
        public long getId() {
            return 7;
        }
    }

    private static void interleave(Function<Runnable, Thread> makeFirst,
                                   BiFunction<Thread, Runnable, Thread> makeSecond) throws Exception {
        SynchronousQueue<String> toFirst = new SynchronousQueue<>();
        SynchronousQueue<String> toSecond = new SynchronousQueue<>();
        CompletableFuture<Long> firstStart = new CompletableFuture<>();
        CompletableFuture<Long> secondStart = new CompletableFuture<>();
        Thread first = makeFirst.apply(() -> {
            try {
                ThreadCalls outer = HeadcountSink.enterCall();
                outer.start = 1111;
                assertEquals(2, HeadcountSink.enterCall().depth); // a filter's chain
                toSecond.put("your turn");
                assertEquals("back", toFirst.poll(10, TimeUnit.SECONDS));
                assertEquals(HeadcountSink.NOT_COUNTED, HeadcountSink.exitCall());
                firstStart.complete(HeadcountSink.exitCall());
            } catch (Throwable t) {
                firstStart.completeExceptionally(t);
            }
        });
        Thread second = makeSecond.apply(first, () -> {
            try {
                assertEquals("your turn", toSecond.poll(10, TimeUnit.SECONDS));
                ThreadCalls call = HeadcountSink.enterCall();
                assertEquals(1, call.depth);
                call.start = 2222;
                secondStart.complete(HeadcountSink.exitCall());
                toFirst.put("back");
            } catch (Throwable t) {
                secondStart.completeExceptionally(t);
            }
        });
        assertEquals(first.getId() & (HeadcountSink.CALL_SLOTS - 1), second.getId() & (HeadcountSink.CALL_SLOTS - 1));
        first.start();
        second.start();
        assertEquals(2222L, secondStart.get(20, TimeUnit.SECONDS));
        assertEquals(1111L, firstStart.get(20, TimeUnit.SECONDS));
    }

    @Test
    void anExitWithoutAnEnterOnANewThreadCountsNothing() throws Exception {
        CompletableFuture<Long> start = new CompletableFuture<>();
        Thread thread = new Thread(() -> start.complete(HeadcountSink.exitCall()));
        thread.start();
        assertEquals(HeadcountSink.NOT_COUNTED, start.get(20, TimeUnit.SECONDS));
    }

    /** A thread whose id falls on the same slot as the given one's (ids are handed out in order). */
    private static Thread sharingTheSlotOf(Thread thread, Runnable task) {
        for (int i = 0; i <= HeadcountSink.CALL_SLOTS; i++) {
            Thread candidate = new Thread(task);
            if (candidate.getId() != thread.getId()
                    && ((candidate.getId() - thread.getId()) & (HeadcountSink.CALL_SLOTS - 1)) == 0) {
                return candidate;
            }
        }
        throw new AssertionError("no thread id within a slot table's length of another shares its slot");
    }
}
