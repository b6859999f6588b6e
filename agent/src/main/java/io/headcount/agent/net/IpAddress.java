package io.headcount.agent.net;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * IP literals without any name lookup. Pure.
 *
 * <p>Accepted: IPv4 dotted quads ({@code 192.0.2.1}; no leading zeros, since {@code 010} means
 * 8 to some parsers and 10 to others) and IPv6 in any RFC 4291 text form ({@code ::},
 * {@code 2001:db8::1}, {@code ::ffff:192.0.2.1}), optionally in brackets ({@code [::1]}) and
 * with a zone id ({@code fe80::1%eth0}), which is dropped. Everything else, host names
 * included, is not an address: nothing here ever asks DNS.
 *
 * <p>Canonical text is dotted decimal for IPv4 and RFC 5952 for IPv6 (lower case, no leading
 * zeros, the longest run of two or more zero groups as {@code ::}, IPv4-mapped addresses as
 * {@code ::ffff:a.b.c.d}).
 */
public final class IpAddress {
    /** Longer text cannot be an address (45 characters plus brackets and a short zone id). */
    private static final int MAX_TEXT_LENGTH = 100;
    private static final int MAX_DOTTED_QUAD_LENGTH = 15;
    /** Each ASCII character's value as a hex digit, else -1. */
    private static final byte[] HEX_DIGITS = hexDigits();

    private IpAddress() {
    }

    private static byte[] hexDigits() {
        byte[] values = new byte[128];
        Arrays.fill(values, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            values[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            values[c] = (byte) (c - 'a' + 10);
            values[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
        return values;
    }

    /** @return 4 or 16 bytes, or null when the text is not an IP literal (never does DNS) */
    public static byte[] parse(String text) {
        return text == null ? null : parse(text, 0, text.length());
    }

    /**
     * As {@link #parse(String)}, for the characters of {@code text} from {@code from} to {@code to}
     * ({@code 0 <= from <= to <= text.length()}).
     * A dotted quad is read in one pass where it stands, without a copy: it is what the worker reads
     * for most requests, and only text holding no '[', '%' or ':' can be one, so trying it first
     * never changes an answer.
     */
    public static byte[] parse(String text, int from, int to) {
        int length = to - from;
        if (length <= 0 || length > MAX_TEXT_LENGTH) {
            return null;
        }
        if (length <= MAX_DOTTED_QUAD_LENGTH) {
            byte[] v4 = parseIpv4(text, from, to);
            if (v4 != null) {
                return v4;
            }
        }
        String s = from == 0 && to == text.length() ? text : text.substring(from, to);
        if (s.charAt(0) == '[') {
            if (s.charAt(s.length() - 1) != ']') {
                return null;
            }
            s = s.substring(1, s.length() - 1);
            if (s.indexOf(':') < 0) {
                return null; // brackets are for IPv6 only
            }
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            if (s.indexOf(':') < 0 || zone == s.length() - 1) {
                return null; // zones belong to IPv6 and are never empty
            }
            s = s.substring(0, zone);
        }
        if (s.indexOf(':') >= 0) {
            return parseIpv6(s);
        }
        return parseIpv4(s, 0, s.length());
    }

    /**
     * The canonical text of an IP literal, with IPv4-mapped IPv6 addresses turned into plain IPv4
     * (a dual-stack socket reports an IPv4 client that way; it is the same host).
     *
     * @return canonical text, or null when the text is not an IP literal
     */
    public static String canonical(String text) {
        byte[] address = parse(text);
        return address == null ? null : format(unmapped(address));
    }

    /** The same address with an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as 4 bytes. */
    public static byte[] unmapped(byte[] address) {
        if (address != null && isIpv4Mapped(address)) {
            byte[] v4 = new byte[4];
            System.arraycopy(address, 12, v4, 0, 4);
            return v4;
        }
        return address;
    }

    /** True for 16 bytes of the form {@code ::ffff:a.b.c.d}. */
    public static boolean isIpv4Mapped(byte[] address) {
        if (address == null || address.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    /**
     * Canonical text of 4 or 16 address bytes.
     *
     * @throws IllegalArgumentException for any other length
     */
    public static String format(byte[] address) {
        if (address == null || (address.length != 4 && address.length != 16)) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes");
        }
        if (address.length == 4) {
            return dotted(address, 0);
        }
        if (isIpv4Mapped(address)) {
            return "::ffff:" + dotted(address, 12);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        // RFC 5952 4.2: compress the longest run of two or more zero groups, the first on a tie.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }


    /**
     * Four bytes from {@code offset} as dotted decimal, written straight into one byte array: the
     * worker formats a visitor's IPv4 address for every new visitor's HMAC, and a StringBuilder of
     * four appended ints took twice as long.
     */
    private static String dotted(byte[] address, int offset) {
        byte[] out = new byte[15];
        int n = 0;
        for (int i = offset; i < offset + 4; i++) {
            if (i > offset) {
                out[n++] = '.';
            }
            int b = address[i] & 0xff;
            if (b >= 100) {
                out[n++] = (byte) ('0' + b / 100);
            }
            if (b >= 10) {
                out[n++] = (byte) ('0' + b / 10 % 10);
            }
            out[n++] = (byte) ('0' + b % 10);
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }
    /**
     * The address a visitor is keyed by: IPv4 as is, IPv6 cut to its /64. Null for null.
     *
     * <p>An IPv4-mapped IPv6 address gives its IPv4 address. The IPv6 form is the canonical
     * prefix with its length, such as {@code 2001:db8:1:2::/64}. Text that is not an IP literal
     * gives null, so that nothing raw is ever keyed on.
     */
    public static String visitorPrefix(String canonicalIp) {
        return visitorPrefix(parse(canonicalIp));
    }

    /** As {@link #visitorPrefix(String)}, from 4 or 16 address bytes; null for null. */
    public static String visitorPrefix(byte[] parsed) {
        byte[] address = unmapped(parsed);
        if (address == null) {
            return null;
        }
        if (address.length == 4) {
            return format(address);
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes");
        }
        return slash64(address);
    }

    /**
     * The bytes of what {@link #visitorPrefix(byte[])} writes: an IPv4 address as is (the same
     * array, which no caller changes), an IPv6 one's first 8 bytes with the last 8 zero in a new
     * array. Null for null.
     */
    public static byte[] visitorBytes(byte[] parsed) {
        byte[] address = unmapped(parsed);
        if (address == null || address.length == 4) {
            return address;
        }
        byte[] network = new byte[16];
        System.arraycopy(address, 0, network, 0, 8);
        return network;
    }

    /**
     * {@code network(address, 64)} written straight into one char array: the worker asks for it for
     * every new visitor's HMAC, and the general formatter builds eight groups, a hex string for each
     * and two concatenations. The text is the same, so fingerprints do not change: in a /64 the last
     * four groups are zero, a run longer than any the first four can hold apart from it (RFC 5952
     * compresses the longest), so the text is the first four groups up to the last non-zero one,
     * then {@code ::/64}.
     */
    private static String slash64(byte[] address) {
        int last = 3;
        while (last >= 0 && group(address, last) == 0) {
            last--;
        }
        char[] out = new char[4 * 5 + 5];
        int n = 0;
        for (int i = 0; i <= last; i++) {
            if (i > 0) {
                out[n++] = ':';
            }
            int group = group(address, i);
            for (int shift = 12; shift >= 0; shift -= 4) {
                int digit = (group >>> shift) & 0xf;
                // From the group's first significant digit on: RFC 5952 drops leading zeros.
                if (shift == 0 || group >>> shift != 0) {
                    out[n++] = Character.forDigit(digit, 16);
                }
            }
        }
        out[n++] = ':';
        out[n++] = ':';
        out[n++] = '/';
        out[n++] = '6';
        out[n++] = '4';
        return new String(out, 0, n);
    }

    private static int group(byte[] address, int index) {
        return ((address[2 * index] & 0xff) << 8) | (address[2 * index + 1] & 0xff);
    }

    /**
     * The network of 4 or 16 address bytes with this prefix length, as canonical text such as
     * {@code 203.0.113.0/24} or {@code 2001:db8:1::/48}.
     *
     * @throws IllegalArgumentException when the bytes are no address or the length does not fit them
     */
    public static String network(byte[] address, int prefixLength) {
        if (address == null || (address.length != 4 && address.length != 16)
                || prefixLength < 0 || prefixLength > address.length * 8) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes and a prefix fits in them");
        }
        byte[] network = new byte[address.length];
        int fullBytes = prefixLength / 8;
        System.arraycopy(address, 0, network, 0, fullBytes);
        if (prefixLength % 8 != 0) {
            network[fullBytes] = (byte) (address[fullBytes] & (0xff << (8 - prefixLength % 8)));
        }
        return format(network) + "/" + prefixLength;
    }

    private static byte[] parseIpv4(String s, int from, int to) {
        long address = ipv4(s, from, to);
        if (address < 0) {
            return null;
        }
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    /**
     * A dotted quad's address as an unsigned int, or -1 when the text is none. One pass with no
     * branch on what each character is but the dot: the worker parses an address for most
     * requests, and with one loop per part, whose length varies from address to address, the
     * mispredicted exits cost as much as the reading (54 against 30 ns, 2026-12-07). The checks
     * gather in one flag: a part of one to three digits, no leading zero, at most 255.
     */
    private static long ipv4(String s, int from, int to) {
        int length = to - from;
        if (length < 7 || length > MAX_DOTTED_QUAD_LENGTH) {
            return -1;
        }
        int address = 0;
        int value = 0;
        int digits = 0;
        int dots = 0;
        boolean bad = false;
        for (int i = from; i < to; i++) {
            int c = s.charAt(i);
            if (c == '.') {
                bad |= digits == 0 | digits > 3 | value > 255;
                address = address << 8 | value;
                value = 0;
                digits = 0;
                dots++;
            } else {
                int digit = c - '0';
                bad |= digit < 0 | digit > 9 | (digits == 1 & value == 0);
                value = value * 10 + digit;
                digits++;
            }
        }
        bad |= dots != 3 | digits == 0 | digits > 3 | value > 255;
        return bad ? -1 : (address << 8 | value) & 0xffffffffL;
    }

    private static byte[] parseIpv6(String s) {
        int length = s.length();
        if (length < 2) {
            return null;
        }
        byte[] out = new byte[16];
        int group = 0; // groups written so far
        int compressAt = -1;
        int i = 0;
        if (s.startsWith("::")) {
            compressAt = 0;
            i = 2;
            if (i == length) {
                return out;
            }
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < length) {
            if (group == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < length && i - start < 5) {
                int digit = hexDigit(s.charAt(i));
                if (digit < 0) {
                    break;
                }
                value = (value << 4) | digit;
                i++;
            }
            if (i < length && s.charAt(i) == '.') {
                // An embedded IPv4 address takes the last two groups.
                if (group > 6) {
                    return null;
                }
                byte[] v4 = parseIpv4(s, start, length);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, group * 2, 4);
                group += 2;
                i = length;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4) {
                return null;
            }
            out[group * 2] = (byte) (value >>> 8);
            out[group * 2 + 1] = (byte) value;
            group++;
            if (i == length) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < length && s.charAt(i) == ':') {
                if (compressAt >= 0) {
                    return null; // "::" at most once
                }
                compressAt = group;
                i++;
                if (i == length) {
                    break;
                }
            } else if (i == length) {
                return null; // a single trailing ':'
            }
        }
        if (compressAt < 0) {
            return group == 8 ? out : null;
        }
        if (group == 8) {
            return null; // "::" must stand for at least one group
        }
        int moved = group - compressAt;
        int gap = 8 - group;
        System.arraycopy(out, compressAt * 2, out, (compressAt + gap) * 2, moved * 2);
        for (int k = compressAt * 2; k < (compressAt + gap) * 2; k++) {
            out[k] = 0;
        }
        return out;
    }

    /**
     * ASCII only: {@link Character#digit} would also take other scripts' digits. A table, since
     * an address's digits and letters come in no order a branch could learn (parsing an IPv6
     * address took 190 ns with three range checks a character).
     */
    private static int hexDigit(char c) {
        return c < HEX_DIGITS.length ? HEX_DIGITS[c] : -1;
    }
}
