package io.headcount.agent.metrics;

import java.util.Objects;

/**
 * Values by four label values, for the worker's look-ups of its series: open addressing over flat
 * arrays, so that a look-up reads a hash, four references and a value, and builds no key object.
 * The labels are usually the instances the classifiers and caps keep, which compare by identity
 * first and whose hashes are cached. At most {@code max} entries: a new one past that starts the
 * table again, which costs look-ups only (the series themselves are kept by their metric). Not
 * thread-safe: the worker owns it.
 *
 * <p>Probes step by 1, 2, 3 and so on (every slot of a power-of-two table is reached), not by 1:
 * a client can choose paths whose labels share one hash, and with steps of 1 their entries would
 * fill a run of neighbouring slots that every other label whose hash falls in it walks through.
 * Spread out, they slow only the look-ups of their own hash, as a hash map's bucket would.
 *
 * @param <V> what the labels lead to
 */
final class LabelTable<V> {
    private static final int LABELS = 4;
    private static final int FIRST_SLOTS = 64;

    private final int max;
    private int[] hashes;
    private String[] labels;
    private Object[] values;
    private int size;

    /** @param max entries at most, at least 1 */
    LabelTable(int max) {
        this.max = max;
        allocate(FIRST_SLOTS);
    }

    /** The value of these labels, or null. */
    @SuppressWarnings("unchecked")
    V get(String first, String second, String third, String fourth) {
        int hash = hash(first, second, third, fourth);
        int mask = values.length - 1;
        for (int slot = hash & mask, step = 1; ; slot = (slot + step++) & mask) {
            Object value = values[slot];
            if (value == null) {
                return null;
            }
            if (hashes[slot] == hash && holds(slot, first, second, third, fourth)) {
                return (V) value;
            }
        }
    }

    /** Adds the value of labels that {@link #get} did not find; a full table starts again first. */
    void put(String first, String second, String third, String fourth, V value) {
        if (size >= max) {
            allocate(FIRST_SLOTS);
            size = 0;
        } else if ((size + 1) * 2 > values.length) {
            grow();
        }
        insert(hash(first, second, third, fourth), first, second, third, fourth, value);
        size++;
    }

    int size() {
        return size;
    }

    private boolean holds(int slot, String first, String second, String third, String fourth) {
        int at = slot * LABELS;
        return Objects.equals(labels[at], first) && Objects.equals(labels[at + 1], second)
                && Objects.equals(labels[at + 2], third) && Objects.equals(labels[at + 3], fourth);
    }

    private void insert(int hash, String first, String second, String third, String fourth, Object value) {
        int mask = values.length - 1;
        int slot = hash & mask;
        for (int step = 1; values[slot] != null; step++) {
            slot = (slot + step) & mask;
        }
        hashes[slot] = hash;
        int at = slot * LABELS;
        labels[at] = first;
        labels[at + 1] = second;
        labels[at + 2] = third;
        labels[at + 3] = fourth;
        values[slot] = value;
    }

    /** Twice the slots, so that at most half are taken and probes stay short. */
    private void grow() {
        int[] oldHashes = hashes;
        String[] oldLabels = labels;
        Object[] oldValues = values;
        allocate(oldValues.length * 2);
        for (int slot = 0; slot < oldValues.length; slot++) {
            if (oldValues[slot] != null) {
                int at = slot * LABELS;
                insert(oldHashes[slot], oldLabels[at], oldLabels[at + 1], oldLabels[at + 2], oldLabels[at + 3],
                        oldValues[slot]);
            }
        }
    }

    private void allocate(int slots) {
        hashes = new int[slots];
        labels = new String[slots * LABELS];
        values = new Object[slots];
    }

    private static int hash(String first, String second, String third, String fourth) {
        int hash = Objects.hashCode(first);
        hash = hash * 31 + Objects.hashCode(second);
        hash = hash * 31 + Objects.hashCode(third);
        hash = hash * 31 + Objects.hashCode(fourth);
        // The low bits pick the slot: fold the high ones in, as HashMap does.
        return hash ^ (hash >>> 16);
    }
}
