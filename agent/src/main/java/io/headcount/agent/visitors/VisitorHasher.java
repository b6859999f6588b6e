package io.headcount.agent.visitors;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of {@code address|user-agent} under one visitor day's secret salt. Without the salt
 * the hash cannot be reversed or linked to another day's. Not thread-safe (one {@link Mac}).
 */
public final class VisitorHasher {
    private static final String ALGORITHM = "HmacSHA256";
    private final Mac mac;

    public VisitorHasher(byte[] salt) {
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(salt, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no " + ALGORITHM, e);
        }
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

    /** The first 8 bytes of a hash as a long: the fingerprint kept in memory. */
    public static long fingerprint(byte[] hash) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (hash[i] & 0xFF);
        }
        return value;
    }
}
