package io.headcount.agent.visitors;

import java.nio.ByteBuffer;

/** A visitor first seen by this instance, in total or on an endpoint: one set and one fingerprint. */
final class Sighting {
    final DaySet set;
    final long fingerprint;
    /** The key {@link SeenVisitors} remembers it under. */
    final long seenKey;

    Sighting(DaySet set, long fingerprint, long seenKey) {
        this.set = set;
        this.fingerprint = fingerprint;
        this.seenKey = seenKey;
    }

    /** What Redis stores: the fingerprint's 8 bytes, big-endian (the first 8 bytes of the HMAC). */
    byte[] member() {
        return member(fingerprint);
    }

    static byte[] member(long fingerprint) {
        return ByteBuffer.allocate(Long.BYTES).putLong(fingerprint).array();
    }
}
