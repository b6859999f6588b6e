package io.headcount.agent.classify;

/** An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code ::1}. Immutable. */
public final class Cidr {
    /** @throws IllegalArgumentException with a message fit for a log line when the text is not a CIDR */
    public static Cidr parse(String text) {
        throw new UnsupportedOperationException("TODO");
    }

    /** @param address 4 or 16 bytes */
    public boolean contains(byte[] address) {
        throw new UnsupportedOperationException("TODO");
    }
}
