package io.headcount.agent.visitors;

/**
 * SipHash-2-4 (Aumasson and Bernstein): a keyed 64-bit hash that an outsider who does not know the
 * key cannot steer into collisions. Here over UTF-16LE code units, read straight from strings so
 * that no byte array is built, or over 64-bit words. Not thread-safe: one
 * instance keeps its state between rounds to stay free of allocation.
 */
final class SipHash {
    private final long k0;
    private final long k1;
    private long v0;
    private long v1;
    private long v2;
    private long v3;
    /** Chars absorbed so far, and those of them not yet compressed. */
    private int chars;
    private long word;

    /** @param k0 the key's first 8 bytes, little-endian; @param k1 its last 8 */
    SipHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    long hash(String first, char separator, String second) {
        begin();
        absorb(first);
        absorb(separator);
        absorb(second);
        return end();
    }

    /** The hash of three 64-bit words, each taken as 8 bytes little-endian. */
    long hash(long first, long second, long third) {
        begin();
        compress(first);
        compress(second);
        compress(third);
        chars = 3 * Long.BYTES / Character.BYTES;
        return end();
    }

    private void begin() {
        v0 = 0x736f6d6570736575L ^ k0;
        v1 = 0x646f72616e646f6dL ^ k1;
        v2 = 0x6c7967656e657261L ^ k0;
        v3 = 0x7465646279746573L ^ k1;
        word = 0;
        chars = 0;
    }

    private void absorb(String text) {
        for (int i = 0; i < text.length(); i++) {
            absorb(text.charAt(i));
        }
    }

    private void absorb(char c) {
        int inWord = chars & 3;
        word |= (long) c << (16 * inWord);
        chars++;
        if (inWord == 3) {
            compress(word);
            word = 0;
        }
    }

    private long end() {
        compress(word | (long) (chars * 2) << 56);
        v2 ^= 0xff;
        round();
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private void compress(long message) {
        v3 ^= message;
        round();
        round();
        v0 ^= message;
    }

    private void round() {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
    }
}
