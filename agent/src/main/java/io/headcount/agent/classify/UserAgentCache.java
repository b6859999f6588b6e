package io.headcount.agent.classify;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The worker's cache of User-Agent classes: at most {@code capacity} User-Agents, each with its
 * classes and a number that stands for it while it is cached. Not thread-safe: the worker owns it.
 *
 * <p>Every request brings its User-Agent as a new string, about 110 characters for a browser, so a
 * hash map would hash all of it on every request (String's hash is cached per instance, and the
 * instance is new), one character after the other: on Java 17 that is a chain of about 110
 * dependent multiplications. Here the key's characters are copied into a buffer the cache owns, one
 * byte each (the low byte: two User-Agents that differ only above it share a hash, and the
 * comparison still tells them apart), and hashed eight bytes at a time in four independent lanes;
 * a hit is then confirmed by comparing the whole string. The table is 8-way set-associative with
 * the most recently used first in each set: two User-Agents whose hashes fall in one set are told
 * apart by the comparison, and a set's least recently used entry is the one a new User-Agent
 * replaces.
 *
 * <p>The numbers are never reused, so a number stands for one User-Agent for the life of the cache,
 * even after that User-Agent was dropped and came back under a new number.
 */
public final class UserAgentCache {
    /** A User-Agent's classes, and the number that stands for it while it is cached. */
    public static final class Entry {
        /** With the named client rules and exclusions applied. */
        public final ClassifiedUserAgent classified;
        public final UserAgentInfo info;
        public final long id;
        /**
         * What the worker's metrics keep for these classes (their series by client kind), so that a
         * known User-Agent's series are found without a look-up by its four labels; null until the
         * worker first counts it. Untyped, so that classifying does not depend on the metrics.
         * Worker thread only.
         */
        public Object metricsKept;

        Entry(ClassifiedUserAgent classified, long id) {
            this.classified = classified;
            this.info = classified.info;
            this.id = id;
        }
    }

    static final int WAYS = 8;
    /** Characters copied and hashed at a time: a browser's User-Agent in one go. */
    static final int CHUNK = 256;
    /** The scratch space {@link #hash} needs: a chunk and one word, so that the last word can be read whole. */
    static final int SCRATCH = CHUNK + Long.BYTES;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;

    private final ClientClassifier classifier;
    private final int setMask;
    private final String[] keys;
    private final int[] hashes;
    private final Entry[] entries;
    private final byte[] chunk = new byte[SCRATCH];
    private int size;
    private long nextId = 1;

    /** @param capacity entries at most: a power of two, at least {@value #WAYS} */
    public UserAgentCache(int capacity, UserAgentClassifier classifier) {
        this(capacity, ClientClassifier.builtIn(classifier));
    }

    /** @param capacity entries at most: a power of two, at least {@value #WAYS} */
    public UserAgentCache(int capacity, ClientClassifier classifier) {
        if (capacity < WAYS || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("the capacity is a power of two of at least " + WAYS);
        }
        this.classifier = classifier;
        this.setMask = capacity / WAYS - 1;
        this.keys = new String[capacity];
        this.hashes = new int[capacity];
        this.entries = new Entry[capacity];
    }

    /** The classes of a User-Agent (null stands for the empty one), classified on a miss. */
    public Entry get(String userAgent) {
        String key = userAgent == null ? "" : userAgent;
        int hash = hash(key, chunk);
        int set = (hash & setMask) * WAYS;
        for (int way = 0; way < WAYS; way++) {
            int i = set + way;
            String cached = keys[i];
            if (cached == null) {
                break; // a set fills from its front, so nothing is further on
            }
            if (hashes[i] == hash && cached.equals(key)) {
                Entry entry = entries[i];
                if (way > 0) {
                    moveToFront(set, way, key, hash, entry);
                }
                return entry;
            }
        }
        Entry entry = new Entry(classifier.classify(key), nextId++);
        if (keys[set + WAYS - 1] == null) {
            size++;
        }
        moveToFront(set, WAYS - 1, key, hash, entry);
        return entry;
    }

    /** User-Agents cached now. */
    public int size() {
        return size;
    }

    /** Puts the entry first in its set, moving the ones before {@code way} down by one; what was at {@code way} goes. */
    private void moveToFront(int set, int way, String key, int hash, Entry entry) {
        System.arraycopy(keys, set, keys, set + 1, way);
        System.arraycopy(hashes, set, hashes, set + 1, way);
        System.arraycopy(entries, set, entries, set + 1, way);
        keys[set] = key;
        hashes[set] = hash;
        entries[set] = entry;
    }

    /**
     * All of the key's characters, the low byte of each, and its length, mixed; {@code chunk} is
     * scratch space of {@value #SCRATCH} bytes. Four lanes, so that the multiplications do not wait
     * for each other. The last zero to seven bytes are read as one word whose bytes beyond the key
     * are masked off, rather than one by one: their number varies from key to key, and the loop's
     * mispredicted exit took about 10 ns a key.
     */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int): the low bytes, copied without allocating
    static int hash(String key, byte[] chunk) {
        int length = key.length();
        long a = PRIME_1 + length;
        long b = PRIME_2;
        long c = 0;
        long d = -PRIME_1;
        for (int from = 0; from < length; from += CHUNK) {
            int n = Math.min(CHUNK, length - from);
            key.getBytes(from, from + n, chunk, 0);
            int i = 0;
            for (; i + 32 <= n; i += 32) {
                a = round(a, (long) LONGS.get(chunk, i));
                b = round(b, (long) LONGS.get(chunk, i + 8));
                c = round(c, (long) LONGS.get(chunk, i + 16));
                d = round(d, (long) LONGS.get(chunk, i + 24));
            }
            for (; i + 8 <= n; i += 8) {
                a = round(a, (long) LONGS.get(chunk, i));
            }
            b = round(b, (long) LONGS.get(chunk, i) & ((1L << ((n - i) << 3)) - 1));
        }
        long h = Long.rotateLeft(a, 1) + Long.rotateLeft(b, 7) + Long.rotateLeft(c, 12) + Long.rotateLeft(d, 18);
        h ^= h >>> 33;
        h *= PRIME_2;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    private static long round(long lane, long input) {
        return Long.rotateLeft(lane + input * PRIME_2, 31) * PRIME_1;
    }
}
