package io.headcount.agent.net;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code ::1}. Immutable.
 *
 * <p>An address without {@code /length} is a block of that one address. Bits past the prefix
 * length are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}), as most proxies' configuration
 * does. An IPv4 block also holds the IPv4-mapped IPv6 form of its addresses
 * ({@code ::ffff:127.0.0.1} is in {@code 127.0.0.0/8}), since a dual-stack socket reports
 * IPv4 peers that way; likewise a block inside {@code ::ffff:0:0/96} holds the
 * plain IPv4 addresses it maps.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;
    /** Whether the block holds IPv4 addresses: an IPv4 block, or one inside {@code ::ffff:0:0/96}. */
    private final boolean holdsIpv4;
    /** For such a block, its IPv4 network and mask as ints, so that an IPv4 address is one comparison. */
    private final int ipv4Network;
    private final int ipv4Mask;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
        int ipv4Prefix = network.length == 4 ? prefixLength : prefixLength - 96;
        this.holdsIpv4 = network.length == 4 || (ipv4Prefix >= 0 && IpAddress.isIpv4Mapped(network));
        this.ipv4Mask = !holdsIpv4 || ipv4Prefix == 0 ? 0 : -1 << (32 - ipv4Prefix);
        this.ipv4Network = holdsIpv4 ? ipv4(network, network.length - 4) & ipv4Mask : 0;
    }

    /** @throws IllegalArgumentException with a message fit for a log line when the text is not a CIDR */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a CIDR is required, such as 10.0.0.0/8 or ::1");
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] address = IpAddress.parse(addressText);
        if (address == null) {
            throw new IllegalArgumentException("not a CIDR: '" + shown(text)
                    + "' (expected an IPv4 or IPv6 address, optionally followed by /prefix-length,"
                    + " such as 10.0.0.0/8 or 2001:db8::/32; host names are not allowed)");
        }
        int bits = address.length * 8;
        int length = bits;
        if (slash >= 0) {
            String lengthText = trimmed.substring(slash + 1);
            length = parseLength(lengthText, bits);
            if (length < 0) {
                throw new IllegalArgumentException("not a CIDR: '" + shown(text) + "' (the prefix length after '/'"
                        + " must be a whole number from 0 to " + bits + ")");
            }
        }
        return new Cidr(masked(address, length), length);
    }

    /** @param address 4 or 16 bytes */
    public boolean contains(byte[] address) {
        if (address == null) {
            return false;
        }
        byte[] candidate = address;
        if (network.length == 4 && address.length == 16 && IpAddress.isIpv4Mapped(address)) {
            candidate = IpAddress.unmapped(address);
        } else if (network.length == 16 && address.length == 4) {
            // Only a block inside ::ffff:0:0/96 speaks of IPv4 hosts; ::/0 must not trust them all.
            if (prefixLength < 96 || !IpAddress.isIpv4Mapped(network)) {
                return false;
            }
            candidate = new byte[16];
            candidate[10] = (byte) 0xff;
            candidate[11] = (byte) 0xff;
            System.arraycopy(address, 0, candidate, 12, 4);
        }
        if (candidate.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int restBits = prefixLength % 8;
        if (restBits == 0) {
            return true;
        }
        int mask = (0xff << (8 - restBits)) & 0xff;
        return (candidate[fullBytes] & mask) == (network[fullBytes] & 0xff);
    }

    /**
     * As {@link #contains} for an IPv4 address given as an int ({@link #ipv4}), without a byte
     * array: the worker asks every trusted block about every request's peer.
     */
    public boolean containsIpv4(int address) {
        return holdsIpv4 && (address & ipv4Mask) == ipv4Network;
    }

    /** Four bytes from {@code offset}, big-endian, as an int. */
    public static int ipv4(byte[] address, int offset) {
        return (address[offset] & 0xff) << 24 | (address[offset + 1] & 0xff) << 16
                | (address[offset + 2] & 0xff) << 8 | (address[offset + 3] & 0xff);
    }

    /** The prefix length: 0 to 32 for IPv4, 0 to 128 for IPv6. */
    public int prefixLength() {
        return prefixLength;
    }

    /** The canonical form, such as {@code 10.0.0.0/8} or {@code ::1/128}. */
    @Override
    public String toString() {
        return IpAddress.format(network) + "/" + prefixLength;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Cidr)) {
            return false;
        }
        Cidr that = (Cidr) other;
        return prefixLength == that.prefixLength && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    private static int parseLength(String text, int max) {
        if (text.isEmpty() || text.length() > 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
    }

    private static byte[] masked(byte[] address, int length) {
        byte[] out = address.clone();
        for (int bit = length; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    /** Settings text in an error message, cut short and without control characters. */
    private static String shown(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 60; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (text.length() > 60) {
            out.append("...");
        }
        return out.toString();
    }
}
