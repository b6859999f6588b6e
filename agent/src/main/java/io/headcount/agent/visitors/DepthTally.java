package io.headcount.agent.visitors;

import io.headcount.agent.metrics.HeadcountMetrics;
import java.util.Map;
import java.util.TreeMap;

/**
 * A finished visitor day's visitors by client kind and request-count band, gathered before any of
 * it is added to {@code headcount_visitors_by_request_count_total}, so that the day is added whole
 * or not at all. Holds nine numbers per client kind, however many visitors. Not thread-safe.
 */
final class DepthTally {
    private final Map<String, long[]> byClient = new TreeMap<>();

    /** One visitor of {@code client} that made {@code requests} requests in the day. */
    void add(String client, long requests) {
        if (requests <= 0) {
            return;
        }
        byClient.computeIfAbsent(client, any -> new long[VisitDepthBands.LABELS.length])[VisitDepthBands.indexOf(requests)]++;
    }

    /** The visitors of one client kind and band so far. */
    long visitors(String client, String band) {
        long[] bands = byClient.get(client);
        if (bands == null) {
            return 0;
        }
        for (int i = 0; i < VisitDepthBands.LABELS.length; i++) {
            if (VisitDepthBands.LABELS[i].equals(band)) {
                return bands[i];
            }
        }
        return 0;
    }

    /** Adds the tally to the counter; bands without visitors add no series. */
    void publishTo(HeadcountMetrics metrics) {
        for (Map.Entry<String, long[]> client : byClient.entrySet()) {
            long[] bands = client.getValue();
            for (int i = 0; i < bands.length; i++) {
                if (bands[i] > 0) {
                    metrics.visitorsByRequestCount(client.getKey(), VisitDepthBands.LABELS[i], bands[i]);
                }
            }
        }
    }

    boolean isEmpty() {
        return byClient.isEmpty();
    }
}
