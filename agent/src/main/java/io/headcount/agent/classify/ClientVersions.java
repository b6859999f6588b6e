package io.headcount.agent.classify;

import java.util.HashMap;
import java.util.Map;

/**
 * The per-client cap on {@code version} label values: the first {@value #MAX_PER_CLIENT}
 * distinct versions of each named client keep their places, later new ones become {@code other}.
 * With at most {@link ClientRules#MAX_RULES} names, the version metric has at most
 * 20 x 33 series. Not thread-safe: the worker owns it.
 */
public final class ClientVersions {
    public static final int MAX_PER_CLIENT = 32;

    private final Map<String, LabelCap> caps = new HashMap<>();

    /** @param version a {@link ClassifiedUserAgent#version}: well formed, or {@code other} */
    public String admit(String client, String version) {
        LabelCap cap = caps.get(client);
        if (cap == null) {
            cap = new LabelCap(MAX_PER_CLIENT);
            caps.put(client, cap);
        }
        return cap.admit(version);
    }
}
