package io.headcount.agent.visitors;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of {@code address|user-agent} under one visitor day's secret salt. Without the salt
 * the hash cannot be reversed or linked to another day's. Not thread-safe (one {@link Mac}).
 *
 * <p>Most visits are returning visitors, and the HMAC is most of what the worker spends on one, so
 * {@link #fingerprint} remembers the fingerprints of recent visits in a small table indexed by
 * SipHash under a key derived from the salt: a returning visitor costs a SipHash instead of an
 * HMAC. The table holds hashes only, never an address or a User-Agent.
 */
public final class VisitorHasher {
    private static final String ALGORITHM = "HmacSHA256";
    /** Recent visits remembered: 4096 slots of two longs, 64 KiB. */
    private static final int CACHE_SLOTS = 4096;
    private static final byte[] CACHE_KEY_LABEL = "headcount fingerprint cache key".getBytes(StandardCharsets.UTF_8);

    private final Mac mac;
    private final SipHash cacheIndex;
    /** SipHash of the visit in each slot (0: empty) and the visit's fingerprint. */
    private final long[] cachedVisits = new long[CACHE_SLOTS];
    private final long[] cachedFingerprints = new long[CACHE_SLOTS];

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
     * The fingerprint of {@link #hash}, computed only when the visit is not among the recent ones.
     * Two different visits share a cache entry only when their 64-bit SipHashes collide, which is
     * as unlikely as two visitors sharing a fingerprint.
     *
     * @param userAgentId a number that stands for this User-Agent alone, so that the cache need not
     *     hash the whole header; 0 when there is none, and the header itself is hashed
     */
    public long fingerprint(String visitorAddress, String userAgent, long userAgentId) {
        // Addresses hold neither separator, so the two kinds of key never meet.
        long visit = userAgentId == 0 ? cacheIndex.hash(visitorAddress, '|', userAgent)
                : cacheIndex.hash(visitorAddress, '#', userAgentId);
        int slot = (int) (visit ^ (visit >>> 32)) & (CACHE_SLOTS - 1);
        if (visit != 0 && cachedVisits[slot] == visit) {
            return cachedFingerprints[slot];
        }
        byte[] hash = hash(visitorAddress, userAgent);
        long fingerprint = fingerprint(hash);
        cachedVisits[slot] = visit;
        cachedFingerprints[slot] = fingerprint;
        return fingerprint;
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
