package io.headcount.agent.visitors;

/**
 * A set of 64-bit visitor fingerprints with a hard size limit: open addressing over a plain
 * {@code long[]} (8 to 16 bytes a visitor, no object per entry). Not thread-safe: the worker owns it.
 */
final class FingerprintSet {
    private static final long EMPTY = 0L;
    /** Stands for a fingerprint that happens to be 0, which marks free slots. */
    private static final long ZERO_STAND_IN = 0x9E3779B97F4A7C15L;
    private static final int MIN_CAPACITY = 1024;

    /** What {@link #add} says. */
    enum Result { ADDED, PRESENT, FULL }

    private final int maxSize;
    private long[] slots = new long[MIN_CAPACITY];
    private int size;

    FingerprintSet(int maxSize) {
        this.maxSize = maxSize;
    }

    Result add(long fingerprint) {
        long key = fingerprint == EMPTY ? ZERO_STAND_IN : fingerprint;
        int index = indexOf(slots, key);
        if (slots[index] == key) {
            return Result.PRESENT;
        }
        if (size >= maxSize) {
            return Result.FULL;
        }
        slots[index] = key;
        size++;
        if (size * 4L > slots.length * 3L) {
            grow();
        }
        return Result.ADDED;
    }

    boolean contains(long fingerprint) {
        long key = fingerprint == EMPTY ? ZERO_STAND_IN : fingerprint;
        return slots[indexOf(slots, key)] == key;
    }

    int size() {
        return size;
    }

    void clear() {
        slots = new long[MIN_CAPACITY];
        size = 0;
    }

    private static int indexOf(long[] table, long key) {
        int mask = table.length - 1;
        int index = (int) (key ^ (key >>> 32)) & mask;
        while (table[index] != EMPTY && table[index] != key) {
            index = (index + 1) & mask;
        }
        return index;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (long key : slots) {
            if (key != EMPTY) {
                bigger[indexOf(bigger, key)] = key;
            }
        }
        slots = bigger;
    }
}
