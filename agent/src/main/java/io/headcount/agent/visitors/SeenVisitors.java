package io.headcount.agent.visitors;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The visitors one visitor day has seen, in total and per endpoint, as 64-bit fingerprints in two
 * bounded sets, each entry with the labels it was counted under, so that a Redis that lost the
 * day can be given them back ({@link #forEach}). Cleared when the day changes. Not thread-safe:
 * the worker owns it.
 */
final class SeenVisitors {
    /** Receives one remembered sighting: the visitor's fingerprint and its labels. */
    interface SightingConsumer {
        /**
         * @param seenKey the key the sighting is remembered under (see {@link #endpointKey})
         * @param endpoint null for a sighting of the day in total
         */
        void accept(long fingerprint, long seenKey, String client, String endpoint);
    }

    private final SecureRandom random;
    private final FingerprintSet visitors;
    private final FingerprintSet visitorEndpoints;
    /** A random 64-bit tag per endpoint label, so that a (visitor, endpoint) pair is one long. */
    private final Map<String, Long> endpointTags = new HashMap<>();
    /** Label numbers (the tag stored with each entry) by endpoint ("" for the total), then client. */
    private final Map<String, Map<String, Integer>> labelNumbers = new HashMap<>();
    private final List<String[]> labels = new ArrayList<>();

    SeenVisitors(int maxVisitorsPerDay, SecureRandom random) {
        this.random = random;
        this.visitors = new FingerprintSet(maxVisitorsPerDay);
        this.visitorEndpoints = new FingerprintSet(maxVisitorsPerDay);
    }

    FingerprintSet.Result add(long visitor, String client) {
        return visitors.add(visitor, labelNumber(client, null));
    }

    FingerprintSet.Result addOnEndpoint(long visitor, String endpoint, String client) {
        return visitorEndpoints.add(endpointKey(visitor, endpoint), labelNumber(client, endpoint));
    }

    /** The key a (visitor, endpoint) pair is remembered under. */
    long endpointKey(long visitor, String endpoint) {
        return visitor ^ endpointTag(endpoint);
    }

    /** Every sighting remembered today: each visitor once, and each (visitor, endpoint) pair once. */
    void forEach(SightingConsumer consumer) {
        visitors.forEach((key, tag) -> consumer.accept(key, key, labels.get(tag)[0], null));
        visitorEndpoints.forEach((key, tag) -> {
            String[] label = labels.get(tag);
            consumer.accept(key ^ endpointTag(label[1]), key, label[0], label[1]);
        });
    }

    void clear() {
        visitors.clear();
        visitorEndpoints.clear();
        endpointTags.clear();
        labelNumbers.clear();
        labels.clear();
    }

    private int labelNumber(String client, String endpoint) {
        Map<String, Integer> byClient = labelNumbers.computeIfAbsent(endpoint == null ? "" : endpoint,
                any -> new HashMap<>());
        Integer number = byClient.get(client);
        if (number == null) {
            number = labels.size();
            labels.add(new String[] {client, endpoint});
            byClient.put(client, number);
        }
        return number;
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
