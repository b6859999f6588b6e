package io.headcount.agent.classify;

import java.util.Objects;

/**
 * The client hints of recent requests, read once: what {@link ClientHints} makes of each set of the
 * three fields, remembered by the fields' text. Not thread-safe: the worker owns it.
 *
 * <p>Chromium sends the same three low-entropy fields with every HTTPS request, and reading them as
 * RFC 8941 structured fields (the brand list's strings, parameters and GREASE brand) cost the worker
 * 0.65-0.9 us per request on a two-vCPU VM where all its other steps took about 1 us. A browser's fields change only with its major version,
 * platform and form factor, so few sets are seen. The table has {@value #SLOTS} fixed slots: a set
 * whose slot another took is read again, never kept beside it.
 */
public final class ClientHintsCache {
    static final int SLOTS = 256;

    private final String[] brands = new String[SLOTS];
    private final String[] mobiles = new String[SLOTS];
    private final String[] platforms = new String[SLOTS];
    private final ClientHints.Answer[] answers = new ClientHints.Answer[SLOTS];
    private final byte[] chunk = new byte[UserAgentCache.SCRATCH];

    /** As {@link ClientHints#apply(UserAgentInfo, String, String, String)}, reading each set of fields once. */
    public UserAgentInfo apply(UserAgentInfo fromUserAgent, String brandList, String mobile, String platform) {
        if (!ClientHints.isBrowser(fromUserAgent)) {
            return fromUserAgent;
        }
        // The brand list is about 90 characters and a new string each time: hashed in four lanes.
        int hash = (brandList == null ? 0 : UserAgentCache.hash(brandList, chunk)) * 31
                + Objects.hashCode(platform) * 17 + Objects.hashCode(mobile);
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        ClientHints.Answer answer = answers[slot];
        if (answer == null || !Objects.equals(brandList, brands[slot]) || !Objects.equals(platform, platforms[slot])
                || !Objects.equals(mobile, mobiles[slot])) {
            answer = ClientHints.read(brandList, mobile, platform);
            brands[slot] = brandList;
            mobiles[slot] = mobile;
            platforms[slot] = platform;
            answers[slot] = answer;
        }
        return ClientHints.apply(fromUserAgent, answer);
    }
}
