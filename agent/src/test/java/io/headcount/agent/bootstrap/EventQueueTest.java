package io.headcount.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.classify.RequestPaths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EventQueueTest {
    private static RequestEvent event(String uri) {
        RequestEvent event = new RequestEvent();
        event.method = "GET";
        event.requestUri = uri;
        event.status = 200;
        return event;
    }

    @Test
    void capacityIsRoundedUpToAPowerOfTwo() {
        assertEquals(8, accepted(new EventQueue(5)));
        assertEquals(8, accepted(new EventQueue(8)));
        assertEquals(2, accepted(new EventQueue(0)));
    }

    /** How many offers an empty queue accepts before it refuses one. */
    private static int accepted(EventQueue queue) {
        int accepted = 0;
        while (queue.offer(event("/" + accepted))) {
            accepted++;
        }
        return accepted;
    }

    @Test
    void fullQueueRefusesWithoutBlockingAndAcceptsAgainAfterAPoll() {
        EventQueue queue = new EventQueue(4);
        for (int i = 0; i < 4; i++) {
            assertTrue(queue.offer(event("/" + i)));
        }
        assertFalse(queue.offer(event("/refused")));
        assertEquals("/0", queue.poll().requestUri);
        assertTrue(queue.offer(event("/4")));
        assertEquals(5, queue.offered());
    }

    @Test
    void pollKeepsOrderAndReturnsNullWhenEmpty() {
        EventQueue queue = new EventQueue(16);
        RequestEvent first = event("/a");
        RequestEvent second = event("/b");
        queue.offer(first);
        queue.offer(second);
        assertSame(first, queue.poll());
        assertSame(second, queue.poll());
        assertNull(queue.poll());
    }

    /** The consumer sleeps long (a sleep costs it CPU), so the queue must wake it before it fills. */
    @Test
    @Timeout(60)
    void aSleepingConsumerIsWokenByTheOfferThatCompletesAQuarterOfTheCapacity() throws Exception {
        EventQueue queue = new EventQueue(64);
        Thread consumer = new Thread(() -> queue.sleep(queue, TimeUnit.MINUTES.toNanos(10)));
        consumer.start();
        while (consumer.getState() != Thread.State.TIMED_WAITING) {
            Thread.yield();
        }
        for (int i = 0; i < 16; i++) {
            assertTrue(queue.offer(event("/" + i)));
        }
        consumer.join();
        assertEquals("/0", queue.poll().requestUri);
    }

    @Test
    @Timeout(60)
    void aConsumerWithAnEventReadyDoesNotSleep() {
        EventQueue queue = new EventQueue(64);
        queue.offer(event("/ready"));
        queue.sleep(queue, TimeUnit.MINUTES.toNanos(10));
        assertEquals("/ready", queue.poll().requestUri);
    }

    @Test
    void manyProducersLoseNothingThatWasAccepted() throws Exception {
        EventQueue queue = new EventQueue(1 << 16);
        int producers = 4;
        int perProducer = 10_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    queue.offer(event(id + "/" + i));
                }
            }));
        }
        threads.forEach(Thread::start);
        Set<String> seen = new HashSet<>();
        while (threads.stream().anyMatch(Thread::isAlive) || seen.size() < producers * perProducer) {
            RequestEvent e = queue.poll();
            if (e != null) {
                assertTrue(seen.add(e.requestUri));
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(producers * perProducer, seen.size());
        assertNull(queue.poll());
    }

    /**
     * A small queue under many producers wraps thousands of times: every accepted event is taken
     * exactly once, and every refused offer is reported to its producer (which offers again).
     */
    @Test
    void aSmallQueueWrapsThousandsOfTimesAndLosesOrRepeatsNothing() throws Exception {
        EventQueue queue = new EventQueue(8);
        int producers = 4;
        int perProducer = 10_000;
        AtomicLong refusals = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    RequestEvent event = event(id + "/" + i);
                    while (!queue.offer(event)) {
                        refusals.incrementAndGet();
                        Thread.yield();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        // Taking nothing until an offer is refused makes sure the full queue is exercised.
        while (refusals.get() == 0) {
            Thread.yield();
        }
        long refusedBeforeTaking = refusals.get();
        Set<String> taken = new HashSet<>();
        int[] nextOfProducer = new int[producers];
        while (taken.size() < producers * perProducer) {
            RequestEvent e = queue.poll();
            if (e == null) {
                Thread.yield();
                continue;
            }
            assertTrue(taken.add(e.requestUri), "taken twice: " + e.requestUri);
            // One producer's events come out in the order it offered them.
            String[] parts = e.requestUri.split("/");
            int producer = Integer.parseInt(parts[0]);
            assertEquals(nextOfProducer[producer]++, Integer.parseInt(parts[1]), e.requestUri);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(queue.poll());
        assertEquals(producers * perProducer, queue.offered());
        assertTrue(refusedBeforeTaking > 0);
    }

    @Test
    void everyRefusedOfferIsCountedAsADroppedEvent() {
        EventQueue queue = new EventQueue(2);
        HeadcountSink.install(queue);
        try {
            long droppedBefore = HeadcountSink.droppedEvents();
            for (int i = 0; i < 5; i++) {
                HeadcountSink.record(event("/" + i));
            }
            assertEquals(3, HeadcountSink.droppedEvents() - droppedBefore);
            assertEquals("/0", queue.poll().requestUri);
            assertEquals("/1", queue.poll().requestUri);
            assertNull(queue.poll());
        } finally {
            HeadcountSink.install(null);
        }
    }

    @Test
    void heavyEventsTakeAtMostAnEighthOfTheQueue() {
        EventQueue queue = new EventQueue(16);
        assertTrue(queue.offerHeavy(event("/h0")));
        assertTrue(queue.offerHeavy(event("/h1")));
        assertFalse(queue.offerHeavy(event("/h2")));
        for (int i = 2; i < 16; i++) {
            assertTrue(queue.offer(event("/" + i)));
        }
        assertFalse(queue.offer(event("/16")));
        for (int i = 0; i < 15; i++) {
            queue.poll();
        }
        assertTrue(queue.offerHeavy(event("/h3")));
        assertFalse(queue.offerHeavy(event("/h4")));
    }

    @Test
    void theSinkOffersAnEventWithMoreTextThanABrowserSendsAsHeavy() {
        EventQueue queue = new EventQueue(16);
        HeadcountSink.install(queue);
        try {
            long droppedBefore = HeadcountSink.droppedEvents();
            queue.offer(event("/a"));
            queue.offer(event("/b"));
            RequestEvent heavy = event("/heavy");
            heavy.userAgent = "x".repeat(RequestEvent.LIGHT_CHARS);
            HeadcountSink.record(heavy);
            RequestEvent light = event("/light");
            light.userAgent = "x".repeat(RequestEvent.LIGHT_CHARS - "/light".length());
            HeadcountSink.record(light);
            assertEquals(1, HeadcountSink.droppedEvents() - droppedBefore);
            assertEquals("/a", queue.poll().requestUri);
            assertEquals("/b", queue.poll().requestUri);
            assertEquals("/light", queue.poll().requestUri);
            assertNull(queue.poll());
        } finally {
            HeadcountSink.install(null);
        }
    }

    @Test
    void boundCountsTheCharactersOfTheLongValuesAndCutsShortValuesShorter() {
        RequestEvent e = event("/" + "p".repeat(99));
        e.method = "M".repeat(40);
        e.contextPath = "/shop";
        e.userAgent = "u".repeat(2_000);
        e.referer = "r".repeat(10);
        e.host = "h".repeat(300);
        e.remoteAddr = "203.0.113.9";
        e.xForwardedFor = "198.51.100.7";
        e.secChUa = "c".repeat(300);
        e.secChUaMobile = "?0";
        e.secChUaPlatform = null;
        // What a client can make long: the path, User-Agent, Referer and forwarding headers.
        assertEquals(100 + 1_024 + 10 + 12, e.bound());
        assertEquals("M".repeat(32), e.method);
        assertEquals("h".repeat(260), e.host);
        assertEquals("c".repeat(256), e.secChUa);
        assertEquals("/" + "p".repeat(99), e.requestUri);
    }

    @Test
    void longValuesAreCutToTheBound() {
        String huge = "x".repeat(100_000);
        RequestEvent e = event("/" + huge);
        e.userAgent = huge;
        e.xForwardedFor = huge;
        HeadcountSink.resolveLongPathsWith(RequestPaths::resolve);
        try {
            e.bound();
        } finally {
            HeadcountSink.resolveLongPathsWith(null);
        }
        assertEquals("/" + "x".repeat(RequestEvent.MAX_VALUE_LENGTH - 1), e.requestUri);
        assertEquals(RequestEvent.MAX_VALUE_LENGTH, e.userAgent.length());
        assertEquals("", e.xForwardedFor);
    }

    @Test
    void aUriTooLongToKeepIsResolvedWholeAndThenCut() {
        HeadcountSink.resolveLongPathsWith(RequestPaths::resolve);
        try {
            // Cut first, the dot segments that lead away from /health would be lost: an excluded path.
            assertEquals("/api/users/1", bound("/health/" + "x/".repeat(400) + "../".repeat(401) + "api/users/1"));
            assertEquals("/api/orders", bound("/api/payments/refund////" + "y/../".repeat(205) + "../../../api/orders"));
            // Refused by the containers: the resolver's null, never the raw text.
            assertNull(bound("/" + "../".repeat(400)));
            assertNull(bound("x".repeat(2_000)));
            // Decoded, then cut, and never inside a surrogate pair (U+1F600 is two chars).
            assertEquals("/" + "a/".repeat(511) + "a", bound("/" + "a/".repeat(1_000)));
            assertEquals("/" + "\uD83D\uDE00".repeat(511), bound("/" + "%F0%9F%98%80".repeat(600)));
        } finally {
            HeadcountSink.resolveLongPathsWith(null);
        }
        // Without a resolver the path counts as refused.
        assertNull(bound("/" + "a".repeat(2_000)));
        // A URI short enough to keep stays raw, for the worker to resolve.
        RequestEvent kept = event("/health/../" + "a".repeat(1_000));
        kept.bound();
        assertEquals("/health/../" + "a".repeat(1_000), kept.requestUri);
        assertFalse(kept.pathResolved);
    }

    private static String bound(String uri) {
        RequestEvent e = event(uri);
        e.bound();
        assertTrue(e.pathResolved);
        return e.requestUri;
    }

    @Test
    void longProxyChainsKeepTheirRightmostWholeEntries() {
        // The client's own entries come first; the proxy appended the real client on the right.
        String chain = "1.2.3.4, ".repeat(200) + "198.51.100.7";
        RequestEvent e = event("/");
        e.forwarded = "for=1.2.3.4, " + chain;
        e.xForwardedFor = chain;
        e.bound();
        assertEquals(" " + "1.2.3.4, ".repeat(112) + "198.51.100.7", e.xForwardedFor);
        assertTrue(e.xForwardedFor.length() <= RequestEvent.MAX_VALUE_LENGTH);
        assertTrue(e.forwarded.endsWith(", 198.51.100.7"));
    }
}
