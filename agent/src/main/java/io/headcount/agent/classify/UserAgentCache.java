package io.headcount.agent.classify;

/**
 * The worker's cache of User-Agent classes: at most {@code capacity} User-Agents, each with its
 * classes and a number that stands for it while it is cached. Not thread-safe: the worker owns it.
 *
 * <p>Every request brings its User-Agent as a new string, about 110 characters for a browser, so a
 * hash map would hash all of it on every request (String's hash is cached per instance, and the
 * instance is new), one character after the other. Here the key's hash is its length and its
 * characters in four independent sums (all of them up to 127 characters, at most about 128 sampled
 * at an even step from the end of a longer one); a hit is then confirmed by comparing the whole
 * string. (Sampling only 32 characters gave the bench's 3,000 real User-Agents 1,764 distinct
 * hashes and sets of up to 30.) The table is 8-way set-associative with the most recently used first in each set: two
 * User-Agents whose samples agree share a set and are still told apart by the comparison, and a
 * set's least recently used entry is the one a new User-Agent replaces.
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

        Entry(ClassifiedUserAgent classified, long id) {
            this.classified = classified;
            this.info = classified.info;
            this.id = id;
        }
    }

    static final int WAYS = 8;
    /** At most about this many characters are hashed: all of a User-Agent of up to 127. */
    private static final int SAMPLES = 128;

    private final ClientClassifier classifier;
    private final int setMask;
    private final String[] keys;
    private final int[] hashes;
    private final Entry[] entries;
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
        int hash = sampledHash(key);
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
     * The length and at most about {@value #SAMPLES} characters at an even step from the last one, mixed.
     * Four accumulators, so that the multiplications do not wait for each other.
     */
    static int sampledHash(String key) {
        int length = key.length();
        int step = length / SAMPLES + 1;
        int a = length;
        int b = 0;
        int c = 0;
        int d = 0;
        int i = length - 1;
        for (; i >= 3 * step; i -= 4 * step) {
            a = 31 * a + key.charAt(i);
            b = 31 * b + key.charAt(i - step);
            c = 31 * c + key.charAt(i - 2 * step);
            d = 31 * d + key.charAt(i - 3 * step);
        }
        for (; i >= 0; i -= step) {
            a = 31 * a + key.charAt(i);
        }
        int h = a * 0x9E3779B1 + b * 0x85EBCA77 + c * 0xC2B2AE3D + d * 0x27D4EB2F;
        h ^= h >>> 15;
        h *= 0x2C1B3C6D;
        return h ^ (h >>> 13);
    }
}
