package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SipHashTest {
    /** The key 00 01 .. 0f of the SipHash paper's test vector, as two little-endian longs. */
    private static final long K0 = 0x0706050403020100L;
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    @Test
    void referenceMatchesThePapersVector() {
        byte[] message = new byte[15];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) i;
        }
        // Appendix A of "SipHash: a fast short-input PRF" (Aumasson, Bernstein, 2012).
        assertEquals(0xa129ca6149be45e5L, reference(K0, K1, message));
    }

    @Test
    void isSipHash24OfTheUtf16LeOfBothStringsAndTheSeparator() {
        // U+0100 in the message: pairs of chars 0x0100 and 0x0001 differ.
        assertEquals(reference(K0, K1, utf16le("1.2.3.4|curl/8.5.0")), new SipHash(K0, K1).hash("1.2.3.4", '|', "curl/8.5.0"));
        assertEquals(reference(K0, K1, utf16le("|")), new SipHash(K0, K1).hash("", '|', ""));
        assertEquals(reference(K0, K1, utf16le("a\u0100|\u0001b")), new SipHash(K0, K1).hash("a\u0100", '|', "\u0001b"));
    }

    @Test
    void agreesWithTheReferenceOnEveryLengthAndRandomText() {
        Random random = new Random(7);
        SipHash sipHash = new SipHash(K0, K1);
        for (int length = 0; length < 80; length++) {
            String first = randomText(random, length / 2);
            String second = randomText(random, length - length / 2);
            assertEquals(reference(K0, K1, utf16le(first + '|' + second)), sipHash.hash(first, '|', second),
                    "length " + length);
        }
    }

    @Test
    void threeWordsAreHashedAsTheirTwentyFourBytesLittleEndian() {
        Random random = new Random(11);
        SipHash sipHash = new SipHash(K0, K1);
        for (int i = 0; i < 1_000; i++) {
            long[] words = {random.nextLong(), random.nextLong(), i == 0 ? 0 : random.nextLong()};
            ByteBuffer bytes = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            for (long word : words) {
                bytes.putLong(word);
            }
            assertEquals(reference(K0, K1, bytes.array()), sipHash.hash(words[0], words[1], words[2]), "words " + i);
        }
        // Between text hashes too: no state of one hash carries into the next.
        assertEquals(reference(K0, K1, utf16le("1.2.3.4|ua")), sipHash.hash("1.2.3.4", '|', "ua"));
        assertEquals(reference(K0, K1, new byte[24]), sipHash.hash(0, 0, 0));
    }

    @Test
    void movingTheSeparatorChangesTheHash() {
        SipHash sipHash = new SipHash(K0, K1);
        long ab = sipHash.hash("1.2.3.4", '|', "5");
        assertFalse(ab == sipHash.hash("1.2.3", '|', ".45"));
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0xD800)));
        }
        return text.toString();
    }

    private static byte[] utf16le(String text) {
        return text.getBytes(StandardCharsets.UTF_16LE);
    }

    /** SipHash-2-4 over bytes, straight from the paper, to check the char-reading version against. */
    private static long reference(long k0, long k1, byte[] message) {
        long[] v = {0x736f6d6570736575L ^ k0, 0x646f72616e646f6dL ^ k1, 0x6c7967656e657261L ^ k0, 0x7465646279746573L ^ k1};
        int whole = message.length / 8 * 8;
        for (int i = 0; i < whole; i += 8) {
            long m = 0;
            for (int j = 7; j >= 0; j--) {
                m = (m << 8) | (message[i + j] & 0xFF);
            }
            v[3] ^= m;
            sipRound(v);
            sipRound(v);
            v[0] ^= m;
        }
        long last = (long) (message.length & 0xFF) << 56;
        for (int j = message.length - whole - 1; j >= 0; j--) {
            last |= (long) (message[whole + j] & 0xFF) << (8 * j);
        }
        v[3] ^= last;
        sipRound(v);
        sipRound(v);
        v[0] ^= last;
        v[2] ^= 0xff;
        for (int i = 0; i < 4; i++) {
            sipRound(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void sipRound(long[] v) {
        v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
        v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
        v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
    }
}
