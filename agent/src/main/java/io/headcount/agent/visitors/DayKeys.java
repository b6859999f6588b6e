package io.headcount.agent.visitors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Redis keys of one visitor day, all under {@code <prefix>:<date>:}: the salt, one set per
 * client kind and one per (client kind, endpoint), an index of those sets (so that a scrape finds
 * them without scanning), and one marker per instance (so that an instance notices a Redis that
 * lost the day). Every command names one key, so in a Redis Cluster the keys need not share a
 * slot. Worker thread only, except the static helpers.
 */
final class DayKeys {
    static final String VISITORS = "visitors:";
    static final String ENDPOINT = "endpoint:";

    final VisitorDay day;
    final boolean approximate;
    private final String prefix;
    final byte[] salt;
    final byte[] index;
    private final Map<String, DaySet> visitorSets = new HashMap<>();
    private final Map<String, Map<String, DaySet>> endpointSets = new HashMap<>();
    private final List<DaySet> all = new ArrayList<>();

    DayKeys(String keyPrefix, VisitorDay day) {
        this(keyPrefix, day, false);
    }

    DayKeys(String keyPrefix, VisitorDay day, boolean approximate) {
        this.day = day;
        this.approximate = approximate;
        this.prefix = keyPrefix + ":" + day.date() + ":";
        this.salt = key("salt");
        this.index = indexKey(keyPrefix, day);
    }

    static byte[] indexKey(String keyPrefix, VisitorDay day) {
        return (keyPrefix + ":" + day.date() + ":sets").getBytes(StandardCharsets.UTF_8);
    }

    byte[] key(String name) {
        return (prefix + name).getBytes(StandardCharsets.UTF_8);
    }

    byte[] marker(String instanceId) {
        return key("instance:" + instanceId);
    }

    DaySet visitors(String client) {
        DaySet set = visitorSets.get(client);
        if (set == null) {
            set = new DaySet(this, client, null);
            visitorSets.put(client, set);
            all.add(set);
        }
        return set;
    }

    DaySet endpoint(String endpoint, String client) {
        Map<String, DaySet> byClient = endpointSets.computeIfAbsent(endpoint, any -> new HashMap<>());
        DaySet set = byClient.get(client);
        if (set == null) {
            set = new DaySet(this, client, endpoint);
            byClient.put(client, set);
            all.add(set);
        }
        return set;
    }

    /** Redis lost the day: every set needs its expiry and index entry again. */
    void forgetAnnouncements() {
        for (DaySet set : all) {
            set.announced = false;
        }
    }
}
