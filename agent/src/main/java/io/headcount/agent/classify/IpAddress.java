package io.headcount.agent.classify;

/** IP literals without any name lookup. Pure. */
public final class IpAddress {
    private IpAddress() {
    }

    /** @return 4 or 16 bytes, or null when the text is not an IP literal (never does DNS) */
    public static byte[] parse(String text) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The address a visitor is keyed by: IPv4 as is, IPv6 cut to its /64. Null for null. */
    public static String visitorPrefix(String canonicalIp) {
        throw new UnsupportedOperationException("TODO");
    }
}
