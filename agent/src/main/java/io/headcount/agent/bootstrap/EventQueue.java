package io.headcount.agent.bootstrap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded, lock-free queue for many producers (request threads) and one consumer (the worker).
 *
 * <p>A full queue refuses the offer at once: a request never waits for the agent. The design is
 * Dmitry Vyukov's bounded queue: each slot carries a sequence number that tells producers and the
 * consumer whose turn it is, so a producer needs one CAS on the shared tail and nothing else.
 */
public final class EventQueue {
    private final int mask;
    private final AtomicReferenceArray<RequestEvent> slots;
    private final AtomicLongArray sequences;
    private final AtomicLong tail = new AtomicLong();
    /** Written by the consumer only; volatile so that a consumer on another thread later sees it. */
    private volatile long head;

    /** @param capacity rounded up to a power of two */
    public EventQueue(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
        this.mask = size - 1;
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
                    // A release store is all the hand-off needs: the consumer's volatile read of the
                    // sequence then sees the slot written before it. A volatile store would add a
                    // full fence to every request.
                    sequences.lazySet(index, position + 1);
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

    /** How many offers have been accepted so far. */
    public long offered() {
        return tail.get();
    }

}
