package io.headcount.agent.classify;

/** Reduces a Referer header to the contract's referrer label, before any cap. Pure. */
public final class ReferrerClassifier {
    private ReferrerClassifier() {
    }

    /**
     * @param referer the raw Referer header, may be null
     * @param requestHost the raw Host header of the request (may carry a port), may be null
     * @return {@code direct}, {@code internal}, the external host lower-cased without {@code www.},
     *     or {@code other} when the header names no usable host
     */
    public static String classify(String referer, String requestHost) {
        throw new UnsupportedOperationException("TODO");
    }
}
