package io.headcount.agent.visitors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One visitor day's requests per visitor on this instance: fingerprint to count (saturating at
 * {@link VisitDepthBands#CAP}) and the client of its first request. Open addressing over plain arrays
 * (11 bytes a slot in memory mode, 13 in Redis mode; no object per visitor), bounded like the
 * day's seen-set. For Redis mode it also
 * knows which part of each count has not been sent yet, and which visitors have such a part, so
 * that a flush touches only them. Not thread-safe: the worker owns it.
 */
final class VisitCounts {
    private static final long EMPTY = FingerprintSet.EMPTY;
    private static final int MIN_CAPACITY = FingerprintSet.MIN_CAPACITY;

    /** Receives a visitor's count: in total ({@link #forEach}) or the part not sent yet ({@link #drainUnsent}). */
    interface CountConsumer {
        void accept(long fingerprint, String client, int count);
    }

    private final int maxSize;
    private long[] slots = new long[MIN_CAPACITY];
    private short[] counts = new short[MIN_CAPACITY];
    /** How much of each count Redis has been sent; null in memory mode, which sends nothing. */
    private short[] sent;
    private byte[] clients = new byte[MIN_CAPACITY];
    private int size;
    /** Fingerprints whose count is ahead of what was sent, each once. */
    private long[] unsent = new long[16];
    private int unsentSize;
    /** Client labels by number; their values are bounded, so a byte numbers them. */
    private final List<String> clientLabels = new ArrayList<>();
    private final Map<String, Integer> clientNumbers = new HashMap<>();

    /** Whether the parts not sent yet are followed (Redis mode); else no memory goes to that. */
    private final boolean tracksUnsent;

    /** The bytes of a full table's arrays, without Redis mode's list of visitors with unsent parts. */
    static long bytesAt(int maxSize, boolean tracksUnsent) {
        int perSlot = Long.BYTES + Short.BYTES + Byte.BYTES + (tracksUnsent ? Short.BYTES : 0);
        return FingerprintSet.slotsFor(maxSize) * (long) perSlot;
    }

    VisitCounts(int maxSize, boolean tracksUnsent) {
        this.maxSize = maxSize;
        this.tracksUnsent = tracksUnsent;
        this.sent = tracksUnsent ? new short[MIN_CAPACITY] : null;
    }

    /**
     * One more request of the visitor; a visitor met for the first time keeps {@code client}.
     *
     * @return {@code ADDED} for a visitor met for the first time, {@code PRESENT} for one already
     *     counted, {@code FULL} when the visitor is new and the bound is reached (it is not counted)
     */
    FingerprintSet.Result count(long fingerprint, String client) {
        long key = FingerprintSet.slotKey(fingerprint);
        int index = FingerprintSet.indexOf(slots, key);
        if (slots[index] != key) {
            Integer number = clientNumber(client);
            if (size >= maxSize || number == null) {
                return FingerprintSet.Result.FULL;
            }
            slots[index] = key;
            clients[index] = (byte) (int) number;
            counts[index] = 1;
            size++;
            markUnsent(key);
            if (size * 4L > slots.length * 3L) {
                grow();
            }
            return FingerprintSet.Result.ADDED;
        }
        if (counts[index] >= VisitDepthBands.CAP) {
            return FingerprintSet.Result.PRESENT;
        }
        if (tracksUnsent && counts[index] == sent[index]) {
            markUnsent(key);
        }
        counts[index]++;
        return FingerprintSet.Result.PRESENT;
    }

    int size() {
        return size;
    }

    /** Every visitor with its count, in no particular order. */
    void forEach(CountConsumer consumer) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != EMPTY) {
                consumer.accept(fingerprintAt(i), clientLabels.get(clients[i] & 0xFF), counts[i]);
            }
        }
    }

    /** Up to {@code max} visitors' parts of the count not sent yet, which then count as sent. */
    void drainUnsent(int max, CountConsumer consumer) {
        if (!tracksUnsent) {
            return;
        }
        int stop = Math.max(0, unsentSize - max);
        for (int u = unsentSize - 1; u >= stop; u--) {
            int index = FingerprintSet.indexOf(slots, unsent[u]);
            int part = counts[index] - sent[index];
            sent[index] = counts[index];
            if (part > 0) {
                consumer.accept(fingerprintAt(index), clientLabels.get(clients[index] & 0xFF), part);
            }
        }
        unsentSize = stop;
    }

    /** A part whose sending failed: it is sent again with the next flush. */
    void unsend(long fingerprint, int part) {
        if (!tracksUnsent) {
            return;
        }
        long key = FingerprintSet.slotKey(fingerprint);
        int index = FingerprintSet.indexOf(slots, key);
        if (slots[index] != key) {
            return;
        }
        if (counts[index] == sent[index]) {
            markUnsent(key);
        }
        sent[index] = (short) Math.max(0, sent[index] - part);
    }

    /** Redis lost what was sent: every whole count is to be sent again. */
    void unsendAll() {
        if (!tracksUnsent) {
            return;
        }
        unsentSize = 0;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != EMPTY) {
                sent[i] = 0;
                markUnsent(slots[i]);
            }
        }
    }

    void clear() {
        slots = new long[MIN_CAPACITY];
        counts = new short[MIN_CAPACITY];
        sent = tracksUnsent ? new short[MIN_CAPACITY] : null;
        clients = new byte[MIN_CAPACITY];
        size = 0;
        unsentSize = 0;
        clientLabels.clear();
        clientNumbers.clear();
    }

    boolean hasUnsent() {
        return unsentSize > 0;
    }

    private long fingerprintAt(int index) {
        return slots[index] == FingerprintSet.ZERO_STAND_IN ? EMPTY : slots[index];
    }

    /** null when the labels are past what a byte numbers: never for the bounded client label. */
    private Integer clientNumber(String client) {
        Integer number = clientNumbers.get(client);
        if (number == null && clientLabels.size() < 256) {
            number = clientLabels.size();
            clientLabels.add(client);
            clientNumbers.put(client, number);
        }
        return number;
    }

    private void markUnsent(long key) {
        if (!tracksUnsent) {
            return;
        }
        if (unsentSize == unsent.length) {
            long[] bigger = new long[unsent.length * 2];
            System.arraycopy(unsent, 0, bigger, 0, unsentSize);
            unsent = bigger;
        }
        unsent[unsentSize++] = key;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        short[] biggerCounts = new short[bigger.length];
        short[] biggerSent = tracksUnsent ? new short[bigger.length] : null;
        byte[] biggerClients = new byte[bigger.length];
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != EMPTY) {
                int index = FingerprintSet.indexOf(bigger, slots[i]);
                bigger[index] = slots[i];
                biggerCounts[index] = counts[i];
                if (tracksUnsent) {
                    biggerSent[index] = sent[i];
                }
                biggerClients[index] = clients[i];
            }
        }
        slots = bigger;
        counts = biggerCounts;
        sent = biggerSent;
        clients = biggerClients;
    }
}
