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
 * the worker owns it. Memory mode keeps its day's visitors in its visit counts instead, and uses
 * only the set of pairs here; the other stays at its least size.
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
    /** Label numbers (the tag stored with each entry) of the day in total, by client. */
    private final Map<String, Integer> visitorLabels = new HashMap<>();
    /** Per endpoint label: its random tag and its label numbers by client, found with one look-up. */
    private final Map<String, EndpointLabels> endpoints = new HashMap<>();
    /** Labels by number. */
    private final List<String[]> labels = new ArrayList<>();

    SeenVisitors(int maxVisitorsPerDay, SecureRandom random) {
        this.random = random;
        this.visitors = new FingerprintSet(maxVisitorsPerDay);
        this.visitorEndpoints = new FingerprintSet(maxVisitorsPerDay);
    }

    // Most sightings were seen before, and a label number is needed only for a new one: looked up
    // first, its table is a cache miss per request on a busy worker, for nothing.
    FingerprintSet.Result add(long visitor, String client) {
        return visitors.contains(visitor) ? FingerprintSet.Result.PRESENT
                : visitors.add(visitor, labelNumber(visitorLabels, client, null));
    }

    FingerprintSet.Result addOnEndpoint(long visitor, String endpoint, String client) {
        EndpointLabels labels = endpointLabels(endpoint);
        long key = visitor ^ labels.tag;
        return visitorEndpoints.contains(key) ? FingerprintSet.Result.PRESENT
                : visitorEndpoints.add(key, labelNumber(labels.numbers, client, endpoint));
    }

    /** The key a (visitor, endpoint) pair is remembered under. */
    long endpointKey(long visitor, String endpoint) {
        return visitor ^ endpointLabels(endpoint).tag;
    }

    /** Every sighting remembered today: each visitor once, and each (visitor, endpoint) pair once. */
    void forEach(SightingConsumer consumer) {
        visitors.forEach((key, tag) -> consumer.accept(key, key, labels.get(tag)[0], null));
        visitorEndpoints.forEach((key, tag) -> {
            String[] label = labels.get(tag);
            consumer.accept(key ^ endpointLabels(label[1]).tag, key, label[0], label[1]);
        });
    }

    void clear() {
        visitors.clear();
        visitorEndpoints.clear();
        visitorLabels.clear();
        endpoints.clear();
        labels.clear();
    }

    private int labelNumber(Map<String, Integer> numbers, String client, String endpoint) {
        Integer number = numbers.get(client);
        if (number == null) {
            number = labels.size();
            labels.add(new String[] {client, endpoint});
            numbers.put(client, number);
        }
        return number;
    }

    private EndpointLabels endpointLabels(String endpoint) {
        EndpointLabels labels = endpoints.get(endpoint);
        if (labels == null) {
            labels = new EndpointLabels(random.nextLong());
            endpoints.put(endpoint, labels);
        }
        return labels;
    }

    /** A random 64-bit tag per endpoint label, so that a (visitor, endpoint) pair is one long. */
    private static final class EndpointLabels {
        final long tag;
        final Map<String, Integer> numbers = new HashMap<>();

        EndpointLabels(long tag) {
            this.tag = tag;
        }
    }
}
