package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeenVisitorsTest {
    @Test
    void replaysEverySightingWithItsFingerprintAndLabels() {
        SeenVisitors seen = new SeenVisitors(1000, new SecureRandom());
        seen.add(11, "browser");
        seen.add(22, "script");
        seen.addOnEndpoint(11, "/a", "browser");
        seen.addOnEndpoint(11, "/b", "browser");
        seen.addOnEndpoint(22, "/a", "script");
        for (int i = 0; i < 3000; i++) {
            seen.add(1000 + i, "unknown");
        }
        List<String> replayed = new ArrayList<>();
        seen.forEach((fingerprint, seenKey, client, endpoint) -> {
            if (fingerprint < 1000) {
                replayed.add(fingerprint + " " + client + " " + endpoint);
            }
        });
        Collections.sort(replayed);
        assertEquals(List.of("11 browser /a", "11 browser /b", "11 browser null", "22 script /a", "22 script null"),
                replayed);
    }

    @Test
    void theSeenKeyOfAnEndpointSightingIsItsEndpointKey() {
        SeenVisitors seen = new SeenVisitors(1000, new SecureRandom());
        seen.addOnEndpoint(7, "/a", "browser");
        long[] key = new long[1];
        seen.forEach((fingerprint, seenKey, client, endpoint) -> key[0] = seenKey);
        assertEquals(seen.endpointKey(7, "/a"), key[0]);
    }
}
