package io.headcount.agent.visitors;

/**
 * A set of 64-bit visitor fingerprints with a hard size limit: open addressing over a plain
 * {@code long[]} (8 to 16 bytes a visitor, no object per entry). Not thread-safe: the worker owns it.
 */
final class FingerprintSet {
    static final long EMPTY = 0L;
    /** Stands for a fingerprint that happens to be 0, which marks free slots. */
    static final long ZERO_STAND_IN = 0x9E3779B97F4A7C15L;
    static final int MIN_CAPACITY = 1024;

    /** What {@link #add} says. */
    enum Result { ADDED, PRESENT, FULL }

    /** Receives each entry of the set with its tag. */
    interface EntryConsumer {
        void accept(long fingerprint, int tag);
    }

    private final int maxSize;
    private long[] slots = new long[MIN_CAPACITY];
    /** A small number stored with each entry (what it was counted under), so the set can be replayed. */
    private int[] tags = new int[MIN_CAPACITY];
    private int size;

    FingerprintSet(int maxSize) {
        this.maxSize = maxSize;
    }

    /** The length the table reaches holding {@code maxSize} entries: a power of two kept at most 3/4 full. */
    static int slotsFor(int maxSize) {
        int slots = MIN_CAPACITY;
        while (maxSize * 4L > slots * 3L) {
            slots *= 2;
        }
        return slots;
    }

    /** The bytes of a full set's arrays: a fingerprint and a tag a slot. */
    static long bytesAt(int maxSize) {
        return slotsFor(maxSize) * (long) (Long.BYTES + Integer.BYTES);
    }

    Result add(long fingerprint) {
        return add(fingerprint, 0);
    }

    Result add(long fingerprint, int tag) {
        long key = slotKey(fingerprint);
        int index = indexOf(slots, key);
        if (slots[index] == key) {
            return Result.PRESENT;
        }
        if (size >= maxSize) {
            return Result.FULL;
        }
        slots[index] = key;
        tags[index] = tag;
        size++;
        if (size * 4L > slots.length * 3L) {
            grow();
        }
        return Result.ADDED;
    }

    boolean contains(long fingerprint) {
        long key = slotKey(fingerprint);
        return slots[indexOf(slots, key)] == key;
    }

    int size() {
        return size;
    }

    void clear() {
        slots = new long[MIN_CAPACITY];
        tags = new int[MIN_CAPACITY];
        size = 0;
    }

    /** Every entry with its tag, in no particular order. */
    void forEach(EntryConsumer consumer) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != EMPTY) {
                consumer.accept(slots[i], tags[i]);
            }
        }
    }

    /** What a fingerprint is stored as: itself, except 0, which marks free slots. */
    static long slotKey(long fingerprint) {
        return fingerprint == EMPTY ? ZERO_STAND_IN : fingerprint;
    }

    /** The slot of {@code key} in an open-addressing table, or the free slot where it would go. */
    static int indexOf(long[] table, long key) {
        int mask = table.length - 1;
        int index = (int) (key ^ (key >>> 32)) & mask;
        while (table[index] != EMPTY && table[index] != key) {
            index = (index + 1) & mask;
        }
        return index;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        int[] biggerTags = new int[bigger.length];
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != EMPTY) {
                int index = indexOf(bigger, slots[i]);
                bigger[index] = slots[i];
                biggerTags[index] = tags[i];
            }
        }
        slots = bigger;
        tags = biggerTags;
    }
}
