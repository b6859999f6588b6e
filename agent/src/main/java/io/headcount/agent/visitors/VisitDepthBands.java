package io.headcount.agent.visitors;

/**
 * The bands of {@code headcount_visitors_by_request_count_total}: how many requests a visitor made
 * in its visitor day, in nine fixed ranges. Fixed, so that the label's values never grow.
 */
public final class VisitDepthBands {
    /** A visitor's requests are counted up to this; any more fall in the last band all the same. */
    public static final int CAP = 1000;

    /** The band labels, in order. */
    public static final String[] LABELS = {"1", "2-5", "6-10", "11-20", "21-50", "51-100", "101-500", "501-999", "1000+"};

    /** The first request count of each band. */
    private static final int[] LOWEST = {1, 2, 6, 11, 21, 51, 101, 501, 1000};

    private VisitDepthBands() {
    }

    /**
     * @param requests a visitor's requests in its day, at least 1 (more than {@link #CAP} is the last band)
     * @return the index into {@link #LABELS}
     */
    public static int indexOf(long requests) {
        int band = 0;
        while (band + 1 < LOWEST.length && requests >= LOWEST[band + 1]) {
            band++;
        }
        return band;
    }

    public static String of(long requests) {
        return LABELS[indexOf(requests)];
    }
}
