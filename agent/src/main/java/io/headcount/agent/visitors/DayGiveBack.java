package io.headcount.agent.visitors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives a Redis that lost the day the visitors this instance remembers of it, in {@code SADD}s of
 * {@link #BATCH} members, without counting them again: the sets are whole again for the rest of
 * the day and for the {@code _today} gauges.
 */
final class DayGiveBack {
    static final int BATCH = 1000;

    private DayGiveBack() {
    }

    /**
     * @param waiting the seen keys of sightings still to be sent or answered: their own SADD will
     *     count them, so giving them back first would lose them
     * @return how many visitors (not visitor-endpoint pairs) were given back
     */
    static long send(RedisCommands commands, SeenVisitors seen, DayKeys keys, Set<Long> waiting) {
        keys.forgetAnnouncements();
        Map<DaySet, List<byte[]>> batches = new LinkedHashMap<>();
        long[] visitors = new long[1];
        seen.forEach((fingerprint, seenKey, client, endpoint) -> {
            if (waiting.contains(seenKey)) {
                return;
            }
            DaySet set = endpoint == null ? keys.visitors(client) : keys.endpoint(endpoint, client);
            List<byte[]> batch = batches.computeIfAbsent(set, any -> new ArrayList<>());
            batch.add(Sighting.member(fingerprint));
            if (endpoint == null) {
                visitors[0]++;
            }
            if (batch.size() >= BATCH) {
                set.add(commands, batch.toArray(new byte[0][]));
                batch.clear();
            }
        });
        for (Map.Entry<DaySet, List<byte[]>> batch : batches.entrySet()) {
            if (!batch.getValue().isEmpty()) {
                batch.getKey().add(commands, batch.getValue().toArray(new byte[0][]));
            }
            batch.getKey().announce(commands);
        }
        return visitors[0];
    }
}
