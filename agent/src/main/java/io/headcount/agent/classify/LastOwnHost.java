package io.headcount.agent.classify;

/**
 * The site's own host ({@link ReferrerClassifier#ownHost}) of the last Host header seen, parsed
 * again only when the header's text changes: every request to a site brings the same Host header,
 * and parsing it was half of what classifying a referrer cost the worker. Not thread-safe: the
 * worker owns it.
 */
public final class LastOwnHost {
    private String header;
    private String host;

    /** The own host named by this raw Host header, or null. */
    public String of(String hostHeader) {
        if (hostHeader == null) {
            return null;
        }
        if (!hostHeader.equals(header)) {
            host = ReferrerClassifier.ownHost(hostHeader);
            header = hostHeader;
        }
        return host;
    }
}
