package io.headcount.agent.visitors;

import io.headcount.agent.net.Cidr;
import io.headcount.agent.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of {@code address|user-agent} under one visitor day's secret salt. Without the salt
 * the hash cannot be reversed or linked to another day's. Not thread-safe (one {@link Mac}).
 *
 * <p>Most visits are returning visitors, and the HMAC is most of what the worker spends on one, so
 * {@link #fingerprint} remembers the fingerprints of recent visits in a table indexed by SipHash
 * under a key derived from the salt: a returning visitor costs a SipHash instead of an HMAC. The
 * table holds hashes only, never an address or a User-Agent. It is 4-way set-associative (a visit
 * is dropped only when four more recent ones share its set) and starts at {@value #MIN_ENTRIES}
 * entries (64 KiB); it doubles, up to 65,536 entries (1 MiB; fewer on a heap under 256 MiB), each time it has had
 * as many misses as it holds entries, which a site whose day has more visitors than the table holds
 * reaches and a small site never does.
 */
public final class VisitorHasher {
    private static final String ALGORITHM = "HmacSHA256";
    /** Entries of the recent-visits table at first and at most; each is two longs. */
    static final int MIN_ENTRIES = 4096;
    static final int MAX_ENTRIES = maxEntries(Runtime.getRuntime().maxMemory());
    private static final int MOST_ENTRIES = 65536;
    private static final int WAYS = 4;
    /**
     * The first word of a cache key from address bytes: its first UTF-16 unit, U+FFFF, begins no
     * address text, so these keys never meet those hashed from text; the rest tells IPv4 from an
     * IPv6 /64, whose 64 bits could equal an IPv4 address's.
     */
    private static final long IPV4_KEY = 4L << 48 | 0xFFFF;
    private static final long IPV6_KEY = 6L << 48 | 0xFFFF;
    private static final byte[] CACHE_KEY_LABEL = "headcount fingerprint cache key".getBytes(StandardCharsets.UTF_8);

    private final Mac mac;
    private final SipHash cacheIndex;
    /**
     * Per set, {@value #WAYS} pairs of (SipHash of the visit, 0 when empty; the visit's fingerprint),
     * the most recently used first: one set is 64 bytes, about one cache line.
     */
    private long[] cache = new long[MIN_ENTRIES * 2];
    /** Misses since the table last grew. */
    private int misses;

    public VisitorHasher(byte[] salt) {
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(salt, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no " + ALGORITHM, e);
        }
        byte[] key = mac.doFinal(CACHE_KEY_LABEL);
        cacheIndex = new SipHash(littleEndianLong(key, 0), littleEndianLong(key, 8));
    }

    /**
     * @param visitorAddress the client address, IPv6 already cut to its /64
     * @param userAgent the raw User-Agent, "" when absent
     * @return the 32-byte hash
     */
    public byte[] hash(String visitorAddress, String userAgent) {
        mac.update(visitorAddress.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) '|');
        return mac.doFinal(userAgent.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The fingerprint of {@link #hash} of the client's visitor text ({@link IpAddress#visitorPrefix}:
     * an IPv4 address whole, an IPv6 one cut to its /64), computed only when the visit is not among
     * the recent ones. Two different visits share a cache entry only when their 64-bit SipHashes
     * collide, which is as unlikely as two visitors sharing a fingerprint.
     *
     * @param clientAddress the client's 4 or 16 address bytes
     * @param userAgentId a number that stands for this User-Agent alone, so that the cache need not
     *     hash the whole header; 0 when there is none, and the header itself is hashed
     */
    public long fingerprint(byte[] clientAddress, String userAgent, long userAgentId) {
        byte[] address = IpAddress.unmapped(clientAddress);
        String text = null;
        long visit;
        if (userAgentId == 0) {
            text = IpAddress.visitorPrefix(address);
            visit = cacheIndex.hash(text, '|', userAgent);
        } else {
            // A returning visitor is found from the bytes its text is written from, without writing
            // the text, which only an HMAC needs.
            visit = address.length == 4 ? cacheIndex.hash(IPV4_KEY, Cidr.ipv4(address, 0), userAgentId)
                    : cacheIndex.hash(IPV6_KEY, slash64(address), userAgentId);
        }
        long[] table = cache;
        int set = setOf(visit, table);
        for (int way = 0; way < WAYS * 2; way += 2) {
            if (table[set + way] == visit && visit != 0) {
                long fingerprint = table[set + way + 1];
                if (way > 0) {
                    System.arraycopy(table, set, table, set + 2, way);
                    table[set] = visit;
                    table[set + 1] = fingerprint;
                }
                return fingerprint;
            }
        }
        long fingerprint = fingerprint(hash(text != null ? text : IpAddress.visitorPrefix(address), userAgent));
        if (visit != 0) {
            insert(table, set, visit, fingerprint);
            if (++misses >= table.length / 2 && table.length < MAX_ENTRIES * 2) {
                grow();
            }
        }
        return fingerprint;
    }

    /** The first 64 bits of an IPv6 address, big-endian: its /64. */
    private static long slash64(byte[] address) {
        return ((long) Cidr.ipv4(address, 0) << 32) | (Cidr.ipv4(address, 4) & 0xFFFFFFFFL);
    }

    /**
     * The most entries for a heap: at most a 256th of it, so 65,536 (1 MiB) from 256 MiB up and
     * {@value #MIN_ENTRIES} at least; a small heap keeps the table small under a flood of new visitors.
     */
    static int maxEntries(long maxHeap) {
        int entries = MOST_ENTRIES;
        while (entries > MIN_ENTRIES && entries * 16L > maxHeap / 256) {
            entries /= 2;
        }
        return entries;
    }

    /** Entries the recent-visits table holds now. */
    int cacheEntries() {
        return cache.length / 2;
    }

    /** The index of the first long of the visit's set. */
    private static int setOf(long visit, long[] table) {
        int sets = table.length / (WAYS * 2);
        return ((int) (visit ^ (visit >>> 32)) & (sets - 1)) * WAYS * 2;
    }

    /** As the set's most recent entry; its least recent one goes. */
    private static void insert(long[] table, int set, long visit, long fingerprint) {
        System.arraycopy(table, set, table, set + 2, (WAYS - 1) * 2);
        table[set] = visit;
        table[set + 1] = fingerprint;
    }

    private void grow() {
        long[] old = cache;
        long[] bigger = new long[old.length * 2];
        // Least recent first, so that each set of the new table keeps its recency order.
        for (int set = 0; set < old.length; set += WAYS * 2) {
            for (int way = (WAYS - 1) * 2; way >= 0; way -= 2) {
                long visit = old[set + way];
                if (visit != 0) {
                    insert(bigger, setOf(visit, bigger), visit, old[set + way + 1]);
                }
            }
        }
        cache = bigger;
        misses = 0;
    }

    /** The first 8 bytes of a hash as a long: the fingerprint kept in memory. */
    public static long fingerprint(byte[] hash) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (hash[i] & 0xFF);
        }
        return value;
    }

    private static long littleEndianLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }
}
