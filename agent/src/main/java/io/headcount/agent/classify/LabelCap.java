package io.headcount.agent.classify;

import java.util.HashMap;
import java.util.Map;

/**
 * Admits at most {@code max} distinct label values; later new ones become {@code other}.
 * Values given as always allowed pass without taking a place. Not thread-safe: the worker owns it.
 *
 * <p>The first values seen keep their places for the life of the cap: a label value that has
 * appeared in a time series must keep meaning the same thing, so places are never recycled.
 * A null value is {@code other}.
 *
 * <p>{@link #admit} returns the one instance it keeps of each value, so that the worker's later
 * look-ups by these labels find their hash already computed and compare by identity first.
 */
public final class LabelCap {
    public static final String OTHER = "other";

    private final int max;
    /** Every value that passes, always-allowed and admitted alike, mapped to the instance kept of it. */
    private final Map<String, String> passing = new HashMap<>();
    private int admitted;
    /** Read by the scrape thread while the worker writes it. */
    private volatile boolean reached;

    public LabelCap(int max, String... alwaysAllowed) {
        this.max = Math.max(0, max);
        passing.put(OTHER, OTHER);
        if (alwaysAllowed != null) {
            for (String value : alwaysAllowed) {
                if (value != null) {
                    passing.put(value, value);
                }
            }
        }
    }

    public String admit(String value) {
        if (value == null) {
            return OTHER;
        }
        String kept = passing.get(value);
        if (kept != null) {
            return kept;
        }
        if (admitted < max) {
            passing.put(value, value);
            admitted++;
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
        return admitted;
    }
}
