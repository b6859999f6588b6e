package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class VisitorHasherTest {
    private static final byte[] SALT = new byte[32];

    @Test
    void isHmacSha256OfAddressBarUserAgent() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SALT, "HmacSHA256"));
        byte[] expected = mac.doFinal("203.0.113.7|Mozilla/5.0".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(expected, new VisitorHasher(SALT).hash("203.0.113.7", "Mozilla/5.0"));
    }

    @Test
    void knownVector() {
        // HMAC-SHA256 with a key of 32 zero bytes over "1.2.3.4|curl/8.5.0", computed independently with openssl.
        byte[] hash = new VisitorHasher(SALT).hash("1.2.3.4", "curl/8.5.0");
        assertEquals("786e6fe97deb7c53312fc5ceefa03c8cf28e3d951531e940b3d55af603dfdaba", HexFormat.of().formatHex(hash));
        assertEquals(0x786e6fe97deb7c53L, VisitorHasher.fingerprint(hash));
    }

    @Test
    void anotherSaltGivesAnUnrelatedHash() {
        byte[] otherSalt = new byte[32];
        otherSalt[0] = 1;
        assertFalse(Arrays.equals(new VisitorHasher(SALT).hash("1.2.3.4", "ua"),
                new VisitorHasher(otherSalt).hash("1.2.3.4", "ua")));
    }

    @Test
    void theSameHasherGivesTheSameHashTwice() {
        VisitorHasher hasher = new VisitorHasher(SALT);
        String first = HexFormat.of().formatHex(hasher.hash("1.2.3.4", "ua"));
        assertEquals(first, HexFormat.of().formatHex(hasher.hash("1.2.3.4", "ua")));
    }

    @Test
    void cachedFingerprintsAreTheHashesFingerprints() {
        VisitorHasher hasher = new VisitorHasher(SALT);
        // 10,000 visitors over 4,096 slots, each seen three times: hits, misses and evictions, with
        // the User-Agent as text and as a number.
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 10_000; i++) {
                String address = "10.0." + (i / 256) + "." + (i % 256);
                long expected = VisitorHasher.fingerprint(hasher.hash(address, "ua" + (i % 7)));
                assertEquals(expected, hasher.fingerprint(address, "ua" + (i % 7), 0), address);
                assertEquals(expected, hasher.fingerprint(address, "ua" + (i % 7), 1 + i % 7), address);
            }
        }
    }

    @Test
    void aCacheHitGivesTheFingerprintOfTheWholeHash() {
        VisitorHasher hasher = new VisitorHasher(SALT);
        assertEquals("786e6fe97deb7c53312fc5ceefa03c8cf28e3d951531e940b3d55af603dfdaba",
                HexFormat.of().formatHex(hasher.hash("1.2.3.4", "curl/8.5.0")));
        assertEquals(0x786e6fe97deb7c53L, hasher.fingerprint("1.2.3.4", "curl/8.5.0", 42));
        assertEquals(0x786e6fe97deb7c53L, hasher.fingerprint("1.2.3.4", "curl/8.5.0", 42));
    }
}
