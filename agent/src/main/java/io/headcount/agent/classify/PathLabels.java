package io.headcount.agent.classify;

/**
 * The endpoint labels of request paths, found without building them: what
 * {@code cap.admit(EndpointNormalizer.pathLabel(path))} gives, for the paths the worker labels
 * itself. Not thread-safe: the worker owns it.
 *
 * <p>Nearly half of an API's requests carry an ID in their path ({@code /api/users/42}), and each
 * one's label was built as a new string, then hashed and compared by the cap to find the instance
 * it keeps. Here one scan of the path hashes the label it stands for, ID segments counted as
 * {@code {id}}, and a second compares the path with the label kept in that hash's slot, so a label
 * seen before costs no copy. Only labels that the cap admitted are kept, in a fixed number of
 * slots: nothing is held that the cap does not hold already, a path the cap turned into
 * {@code other} is worked out again each time (as before), and a label whose slot another took is
 * worked out again, never kept beside it.
 */
public final class PathLabels {
    /** {@code endpoint.max} is 200 by default; a few slots per label keeps collisions rare. */
    static final int SLOTS = 1024;
    /** The ID's text hashed as a segment is, so that a path's literal {@code {id}} finds its label too. */
    private static final int ID_HASH = EndpointNormalizer.ID.hashCode();

    private final LabelCap cap;
    private final String[] labels = new String[SLOTS];
    private final int[] hashes = new int[SLOTS];

    /** @param cap the endpoint label cap, which this class asks for every label it has not kept */
    public PathLabels(LabelCap cap) {
        this.cap = cap;
    }

    /**
     * @param path a resolved request path ({@link RequestPaths#resolve}), not null
     * @return {@code cap.admit(EndpointNormalizer.pathLabel(path))}
     */
    public String admit(String path) {
        int length = path.length();
        if (length == 0 || path.charAt(0) != '/') {
            return cap.admit(EndpointNormalizer.pathLabel(path));
        }
        // A hash of the label's segments, the label's length, and which segments are IDs, in one
        // pass. The hash is the table's own: an ID segment hashes as the ID's text does.
        int hash = 0;
        int labelLength = 0;
        int segment = 0;
        int idSegments = 0;
        int start = 1;
        while (true) {
            if (segment == EndpointNormalizer.MAX_SEGMENTS) {
                return cap.admit(EndpointNormalizer.pathLabel(path)); // a label cut short
            }
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? length : slash;
            int segmentLength = end - start;
            int segmentHash;
            if (EndpointNormalizer.isIdLike(path, start, end)) {
                idSegments |= 1 << segment;
                segmentHash = ID_HASH;
                segmentLength = EndpointNormalizer.ID.length();
            } else {
                segmentHash = 0;
                for (int i = start; i < end; i++) {
                    char c = path.charAt(i);
                    if (EndpointNormalizer.isControl(c)) {
                        return cap.admit(EndpointNormalizer.pathLabel(path)); // a label with escapes
                    }
                    segmentHash = 31 * segmentHash + c;
                }
            }
            hash = hash * 0x01000193 + segmentHash;
            labelLength += 1 + segmentLength;
            segment++;
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        if (labelLength > EndpointNormalizer.MAX_LENGTH) {
            return cap.admit(EndpointNormalizer.pathLabel(path));
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        String kept = labels[slot];
        if (kept != null && hashes[slot] == hash && kept.length() == labelLength
                && (idSegments == 0 ? kept.equals(path) : standsFor(kept, path, idSegments))) {
            return kept;
        }
        String label = cap.admit(EndpointNormalizer.pathLabel(path));
        if (label != LabelCap.OTHER) {
            labels[slot] = label;
            hashes[slot] = hash;
        }
        return label;
    }

    /**
     * Whether {@code label} is the path's label: the path's segments in order, those of
     * {@code idSegments} as the ID. The label's length has been checked already.
     */
    private static boolean standsFor(String label, String path, int idSegments) {
        int length = path.length();
        int at = 1;
        int start = 1;
        for (int segment = 0; ; segment++) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? length : slash;
            if ((idSegments & (1 << segment)) != 0) {
                if (!label.startsWith(EndpointNormalizer.ID, at)) {
                    return false;
                }
                at += EndpointNormalizer.ID.length();
            } else {
                if (!label.regionMatches(at, path, start, end - start)) {
                    return false;
                }
                at += end - start;
            }
            if (slash < 0) {
                return true;
            }
            if (label.charAt(at) != '/') {
                return false;
            }
            at++;
            start = slash + 1;
        }
    }
}
