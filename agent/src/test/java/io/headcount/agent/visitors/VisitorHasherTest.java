package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.headcount.agent.net.IpAddress;
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
        // 10,000 visitors, more than the table first holds, each seen three times: hits, misses,
        // evictions and growth, with the User-Agent as text and as a number.
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 10_000; i++) {
                String address = "10.0." + (i / 256) + "." + (i % 256);
                long expected = VisitorHasher.fingerprint(hasher.hash(address, "ua" + (i % 7)));
                assertEquals(expected, hasher.fingerprint(IpAddress.parse(address), "ua" + (i % 7), 0), address);
                assertEquals(expected, hasher.fingerprint(IpAddress.parse(address), "ua" + (i % 7), 1 + i % 7), address);
            }
        }
    }

    @Test
    void theCacheKnowsAVisitorByWhatItsTextKeeps() {
        VisitorHasher hasher = new VisitorHasher(SALT);
        // Each address with the HMAC input it stands for: IPv6 by its /64, IPv4-mapped as IPv4; the
        // IPv6 /64 0:0:102:304:: has the 64 bits of 1.2.3.4 and must not take its fingerprint.
        String[][] visits = {
            {"1.2.3.4", "1.2.3.4"},
            {"::ffff:1.2.3.4", "1.2.3.4"},
            {"0:0:102:304::", "0:0:102:304::/64"},
            {"0:0:102:304::1", "0:0:102:304::/64"},
            {"2001:db8:1:2::7", "2001:db8:1:2::/64"},
            {"2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"},
            {"2001:db8:1:3::7", "2001:db8:1:3::/64"},
        };
        for (int round = 0; round < 2; round++) {
            for (String[] visit : visits) {
                long expected = VisitorHasher.fingerprint(hasher.hash(visit[1], "ua"));
                assertEquals(expected, hasher.fingerprint(IpAddress.parse(visit[0]), "ua", 5), visit[0]);
                assertEquals(expected, hasher.fingerprint(IpAddress.parse(visit[0]), "ua", 0), visit[0]);
            }
        }
        assertEquals(0x786e6fe97deb7c53L, hasher.fingerprint(IpAddress.parse("1.2.3.4"), "curl/8.5.0", 6));
    }

    @Test
    void aCacheHitGivesTheFingerprintOfTheWholeHash() {
        VisitorHasher hasher = new VisitorHasher(SALT);
        assertEquals("786e6fe97deb7c53312fc5ceefa03c8cf28e3d951531e940b3d55af603dfdaba",
                HexFormat.of().formatHex(hasher.hash("1.2.3.4", "curl/8.5.0")));
        assertEquals(0x786e6fe97deb7c53L, hasher.fingerprint(IpAddress.parse("1.2.3.4"), "curl/8.5.0", 42));
        assertEquals(0x786e6fe97deb7c53L, hasher.fingerprint(IpAddress.parse("1.2.3.4"), "curl/8.5.0", 42));
    }

    @Test
    void theRecentVisitsTableStaysSmallForASmallSite() {
        VisitorHasher hasher = new VisitorHasher(SALT);
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 1_000; i++) {
                hasher.fingerprint(IpAddress.parse("10.1." + (i / 256) + "." + (i % 256)), "ua", 7);
            }
        }
        assertEquals(VisitorHasher.MIN_ENTRIES, hasher.cacheEntries());
    }

    @Test
    void theRecentVisitsTableGrowsWithTheVisitorsUpToItsBound() {
        VisitorHasher hasher = new VisitorHasher(SALT);
        for (int i = 0; i < 6_000; i++) {
            hasher.fingerprint(IpAddress.parse("10.2." + (i / 256) + "." + (i % 256)), "ua", 7);
        }
        assertEquals(2 * VisitorHasher.MIN_ENTRIES, hasher.cacheEntries());
        for (int i = 0; i < 300_000; i++) {
            String address = "10." + (i >>> 16) + "." + ((i >>> 8) & 255) + "." + (i & 255);
            long fingerprint = hasher.fingerprint(IpAddress.parse(address), "ua", 9);
            if (i % 997 == 0) {
                assertEquals(VisitorHasher.fingerprint(hasher.hash(address, "ua")), fingerprint, address);
            }
        }
        assertEquals(VisitorHasher.MAX_ENTRIES, hasher.cacheEntries());
        // After growing, what it remembered still gives each visit's own fingerprint.
        for (int i = 299_000; i < 300_000; i++) {
            String address = "10." + (i >>> 16) + "." + ((i >>> 8) & 255) + "." + (i & 255);
            assertEquals(VisitorHasher.fingerprint(hasher.hash(address, "ua")), hasher.fingerprint(IpAddress.parse(address), "ua", 9),
                    address);
        }
    }

    @Test
    void theRecentVisitsTableTakesAtMostA256thOfTheHeap() {
        long mib = 1024 * 1024;
        assertEquals(65536, VisitorHasher.maxEntries(256 * mib));
        assertEquals(65536, VisitorHasher.maxEntries(Long.MAX_VALUE));
        assertEquals(32768, VisitorHasher.maxEntries(128 * mib));
        assertEquals(4096, VisitorHasher.maxEntries(16 * mib));
        assertEquals(4096, VisitorHasher.maxEntries(mib));
    }
}
