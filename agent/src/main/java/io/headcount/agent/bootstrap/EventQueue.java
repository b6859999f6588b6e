package io.headcount.agent.bootstrap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded, lock-free queue for many producers (request threads) and one consumer (the worker).
 *
 * <p>A full queue refuses the offer at once: a request never waits for the agent. The design is
 * Dmitry Vyukov's bounded queue: each slot carries a sequence number that tells producers and the
 * consumer whose turn it is, so a producer needs one CAS on the shared tail and nothing else.
 *
 * <p>The consumer sleeps between bursts, and each sleep costs it tens of microseconds of CPU on a
 * virtual machine, so it sleeps long. So that a long sleep cannot fill the queue, each offer that
 * completes a quarter of the capacity wakes a consumer that has said it sleeps ({@link #sleep}):
 * one unpark per thousands of requests, never a wait.
 */
public final class EventQueue {
    private final int mask;
    /** Offers at positions with these bits all set wake a sleeping consumer: one in each quarter. */
    private final int wakeMask;
    private final AtomicReferenceArray<RequestEvent> slots;
    private final AtomicLongArray sequences;
    private final AtomicLong tail = new AtomicLong();
    /** Written by the consumer only; volatile so that a consumer on another thread later sees it. */
    private volatile long head;
    /** The consumer while it sleeps or is about to, else null. */
    private volatile Thread sleeper;

    /** @param capacity rounded up to a power of two */
    public EventQueue(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
        this.mask = size - 1;
        this.wakeMask = mask >>> 2;
        this.slots = new AtomicReferenceArray<>(size);
        this.sequences = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            sequences.set(i, i);
        }
    }

    /** @return false when the queue is full; never blocks */
    public boolean offer(RequestEvent event) {
        long position = tail.get();
        while (true) {
            int index = (int) position & mask;
            long sequence = sequences.get(index);
            long difference = sequence - position;
            if (difference == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    slots.lazySet(index, event);
                    if (((int) position & wakeMask) != wakeMask) {
                        // A release store is all the hand-off needs: the consumer's volatile read of the
                        // sequence then sees the slot written before it. A volatile store would add a
                        // full fence to every request.
                        sequences.lazySet(index, position + 1);
                        return true;
                    }
                    // Volatile, so that either this offer sees the consumer's sleeper mark or the
                    // consumer, checking after its mark, sees this event.
                    sequences.set(index, position + 1);
                    Thread consumer = sleeper;
                    if (consumer != null) {
                        LockSupport.unpark(consumer);
                    }
                    return true;
                }
                position = tail.get();
            } else if (difference < 0) {
                return false;
            } else {
                position = tail.get();
            }
        }
    }

    /**
     * Offers an event that holds much of its client's text ({@link RequestEvent#LIGHT_CHARS}) only
     * while the queue is less than an eighth full, so that such events can hold at most an eighth of
     * it, and a client that sends long headers faster than the worker takes them cannot fill the
     * heap through the queue nor push other clients' events out. Concurrent offers may pass the
     * check together; one each at most.
     *
     * @return false when the queue is an eighth full or more; never blocks
     */
    public boolean offerHeavy(RequestEvent event) {
        return tail.get() - head < (mask + 1L) >>> 3 && offer(event);
    }

    /** Consumer only. @return the next event, or null when none is ready */
    public RequestEvent poll() {
        long position = head;
        int index = (int) position & mask;
        if (sequences.get(index) != position + 1) {
            return null;
        }
        RequestEvent event = slots.get(index);
        slots.lazySet(index, null);
        sequences.lazySet(index, position + mask + 1);
        head = position + 1;
        return event;
    }

    /**
     * Consumer only: sleeps until the offer that completes a quarter of the capacity wakes it, or
     * {@code unpark}, or {@code maxNanos}; returns at once when an event is ready.
     */
    public void sleep(Object blocker, long maxNanos) {
        Thread consumer = Thread.currentThread();
        sleeper = consumer;
        try {
            if (!ready()) {
                LockSupport.parkNanos(blocker, maxNanos);
            }
        } finally {
            sleeper = null;
        }
    }

    /** Consumer only: whether {@link #poll} has an event to give. */
    private boolean ready() {
        long position = head;
        return sequences.get((int) position & mask) == position + 1;
    }

    /** How many offers have been accepted so far. */
    public long offered() {
        return tail.get();
    }

}
