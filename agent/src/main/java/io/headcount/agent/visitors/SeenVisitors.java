package io.headcount.agent.visitors;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

/**
 * The visitors one visitor day has seen, in total and per endpoint, as 64-bit fingerprints in two
 * bounded sets. Cleared when the day changes. Not thread-safe: the worker owns it.
 */
final class SeenVisitors {
    private final SecureRandom random;
    private final FingerprintSet visitors;
    private final FingerprintSet visitorEndpoints;
    /** A random 64-bit tag per endpoint label, so that a (visitor, endpoint) pair is one long. */
    private final Map<String, Long> endpointTags = new HashMap<>();

    SeenVisitors(int maxVisitorsPerDay, SecureRandom random) {
        this.random = random;
        this.visitors = new FingerprintSet(maxVisitorsPerDay);
        this.visitorEndpoints = new FingerprintSet(maxVisitorsPerDay);
    }

    FingerprintSet.Result add(long visitor) {
        return visitors.add(visitor);
    }

    FingerprintSet.Result addOnEndpoint(long visitor, String endpoint) {
        return visitorEndpoints.add(visitor ^ endpointTag(endpoint));
    }

    void clear() {
        visitors.clear();
        visitorEndpoints.clear();
        endpointTags.clear();
    }

    private long endpointTag(String endpoint) {
        Long tag = endpointTags.get(endpoint);
        if (tag == null) {
            tag = random.nextLong();
            endpointTags.put(endpoint, tag);
        }
        return tag;
    }
}
