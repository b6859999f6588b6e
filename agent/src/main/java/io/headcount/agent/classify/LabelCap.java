package io.headcount.agent.classify;

import java.util.HashSet;
import java.util.Set;

/**
 * Admits at most {@code max} distinct label values; later new ones become {@code other}.
 * Values given as always allowed pass without taking a place. Not thread-safe: the worker owns it.
 *
 * <p>The first values seen keep their places for the life of the cap: a label value that has
 * appeared in a time series must keep meaning the same thing, so places are never recycled.
 * A null value is {@code other}.
 */
public final class LabelCap {
    public static final String OTHER = "other";

    private final int max;
    private final Set<String> alwaysAllowed = new HashSet<>();
    private final Set<String> admitted = new HashSet<>();
    /** Read by the scrape thread while the worker writes it. */
    private volatile boolean reached;

    public LabelCap(int max, String... alwaysAllowed) {
        this.max = Math.max(0, max);
        this.alwaysAllowed.add(OTHER);
        if (alwaysAllowed != null) {
            for (String value : alwaysAllowed) {
                if (value != null) {
                    this.alwaysAllowed.add(value);
                }
            }
        }
    }

    public String admit(String value) {
        if (value == null) {
            return OTHER;
        }
        if (alwaysAllowed.contains(value) || admitted.contains(value)) {
            return value;
        }
        if (admitted.size() < max) {
            admitted.add(value);
            return value;
        }
        reached = true;
        return OTHER;
    }

    /**
     * Whether a new value has been turned into {@code other} because every place was taken: from
     * then on the label hides values an operator may want to see. Any thread.
     */
    public boolean reached() {
        return reached;
    }

    /** How many places are taken, always-allowed values not counted. */
    public int size() {
        return admitted.size();
    }
}
