package io.headcount.agent.classify;

/**
 * Admits at most {@code max} distinct label values; later new ones become {@code other}.
 * Values given as always allowed pass without taking a place. Not thread-safe: the worker owns it.
 */
public final class LabelCap {
    public static final String OTHER = "other";

    public LabelCap(int max, String... alwaysAllowed) {
        throw new UnsupportedOperationException("TODO");
    }

    public String admit(String value) {
        throw new UnsupportedOperationException("TODO");
    }
}
