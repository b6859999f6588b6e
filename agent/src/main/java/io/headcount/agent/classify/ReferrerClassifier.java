package io.headcount.agent.classify;

import io.headcount.agent.net.IpAddress;
import java.util.Locale;

/**
 * Reduces a Referer header to the contract's referrer label, before any cap. Pure.
 *
 * <p>The header is parsed by hand, never through {@code java.net.URL} (whose {@code equals} and
 * {@code hashCode} resolve names) nor {@code URI}: the host is what follows {@code scheme://}
 * (or a bare {@code //}) up to the first '/', '\', '?' or '#', without user info and port.
 * Any scheme works, so {@code android-app://com.example.app/} gives {@code com.example.app}.
 * A usable host is a name of ASCII letters, digits, '-' and '.' (at most 253 characters, labels
 * of 1 to 63 that neither start nor end with '-', one trailing dot allowed) or an IP literal; an all-numeric dotted name must be a
 * valid IPv4 address, and an IPv6 literal is made canonical ({@code [2001:db8::1]}) to be compared
 * with the site's own host. Only a domain name becomes a label: an external IP literal, or a name
 * whose last label is a number (which a browser reads as an IPv4 address, {@code x.127.0.0.1} or
 * {@code 0xc0.0xa8.0.1}), is {@code other}, since an address can be a person's own machine and the
 * privacy notice promises the other site's domain name only. Anything else, {@code about:blank},
 * {@code data:} URLs and internationalized names not in punycode included, is {@code other}, as is
 * an external host spelled as one of the label's own values ({@code direct}, {@code internal},
 * {@code other}).
 */
public final class ReferrerClassifier {
    public static final String DIRECT = "direct";
    public static final String INTERNAL = "internal";
    public static final String OTHER = "other";

    private static final int MAX_HOST_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private ReferrerClassifier() {
    }

    /**
     * @param referer the raw Referer header, may be null
     * @param requestHost the raw Host header of the request (may carry a port), may be null
     * @return {@code direct}, {@code internal}, the external host lower-cased without {@code www.},
     *     or {@code other} when the header names no usable host
     */
    public static String classify(String referer, String requestHost) {
        return classifyAgainst(referer, ownHost(requestHost));
    }

    /**
     * The site's own host from a request's raw Host header (which may carry a port), normalized as
     * a referrer's host is, or null when there is none. The worker keeps the last one: every request
     * of a site brings the same Host header, and parsing it is half of what a referrer costs.
     */
    public static String ownHost(String requestHost) {
        return requestHost == null ? null : hostOf(requestHost.trim());
    }

    /**
     * As {@link #classify}, with the request's own host already given by {@link #ownHost}.
     *
     * <p>The worker asks this for every request with a Referer. A host name is found and checked
     * where it stands in the header, and copied only when it is the label: an internal referrer
     * is not copied at all. Only a bracketed IPv6 host, which has to be made canonical, goes
     * through copies of its parts.
     */
    public static String classifyAgainst(String referer, String own) {
        if (referer == null) {
            return DIRECT;
        }
        int from = TextRange.trimStart(referer, 0, referer.length());
        int to = TextRange.trimEnd(referer, from, referer.length());
        if (from == to) {
            return DIRECT;
        }
        int authorityStart;
        if (referer.startsWith("//", from)) {
            authorityStart = from + 2;
        } else {
            int colon = schemeEnd(referer, from, to);
            if (colon < 0 || !referer.startsWith("//", colon + 1)) {
                return OTHER;
            }
            authorityStart = colon + 3;
        }
        int authorityEnd = to;
        int at = -1;
        for (int i = authorityStart; i < to; i++) {
            char c = referer.charAt(i);
            if (c == '/' || c == '\\' || c == '?' || c == '#') {
                authorityEnd = i;
                break;
            }
            if (c == '@') {
                at = i;
            }
        }
        int hostStart = at < 0 ? authorityStart : at + 1;
        if (hostStart < authorityEnd && referer.charAt(hostStart) == '[') {
            String host = hostOf(referer.substring(hostStart, authorityEnd));
            return host != null && own != null && isOwn(host, 0, host.length(), own) ? INTERNAL : OTHER;
        }
        String label = nameLabel(referer, hostStart, authorityEnd, own);
        return label == null || endsInNumber(label) ? OTHER : label;
    }

    /**
     * Whether a lower-cased host name's last label is a number, decimal or {@code 0x} hexadecimal:
     * the WHATWG URL standard then parses the whole host as an IPv4 address (or fails), so it names
     * no domain.
     */
    private static boolean endsInNumber(String host) {
        int from = host.lastIndexOf('.') + 1;
        boolean hex = host.startsWith("0x", from);
        for (int i = hex ? from + 2 : from; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!isDigit(c) && !(hex && c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return hex || from < host.length();
    }

    /**
     * Whether an external host is spelled as one of the label's own values: {@code https://direct/}
     * must not count as a request without a Referer, nor {@code https://www.internal./} as one from
     * the site itself.
     */
    private static boolean isReserved(String host) {
        return host.length() <= INTERNAL.length()
                && (host.equals(DIRECT) || host.equals(INTERNAL) || host.equals(OTHER));
    }

    /**
     * A registered name or IPv4 literal with an optional port, from {@code from} to {@code to}:
     * lower-cased without one trailing dot and a leading {@code www.}, {@code internal} when it is
     * {@code own} (which may be null) or a name under it, null when it is not a usable host or is
     * spelled as one of the label's own values.
     */
    private static String nameLabel(String text, int from, int to, String own) {
        int colon = TextRange.indexOf(text, ':', from, to);
        int end = colon < 0 ? to : colon;
        if (colon >= 0 && !isPort(text, colon + 1, to)) {
            return null;
        }
        if (end > from && text.charAt(end - 1) == '.') {
            end--; // one trailing dot
        }
        int length = end - from;
        if (length == 0 || length > MAX_HOST_LENGTH || !isHostName(text, from, end)) {
            return null;
        }
        // A valid dotted quad is already canonical: its text is its label.
        if (isDottedNumeric(text, from, end) && IpAddress.parse(text, from, end) == null) {
            return null;
        }
        int start = length > 4 && text.regionMatches(true, from, "www.", 0, 4) ? from + 4 : from;
        if (own != null && isOwn(text, start, end, own)) {
            return INTERNAL;
        }
        String host = text.substring(start, end).toLowerCase(Locale.ROOT);
        return isReserved(host) ? null : host;
    }

    /** Whether the host name from {@code from} to {@code to}, lower-cased, is {@code own} or a name under it. */
    private static boolean isOwn(String text, int from, int to, String own) {
        int length = to - from;
        int ownLength = own.length();
        if (length == ownLength) {
            return lowerCaseEquals(text, from, own);
        }
        return length > ownLength && text.charAt(to - ownLength - 1) == '.'
                && lowerCaseEquals(text, to - ownLength, own)
                && own.indexOf(':') < 0 && !isDottedNumeric(own, 0, ownLength);
    }

    /** Whether the ASCII characters of {@code text} from {@code from}, lower-cased, are {@code expected}. */
    private static boolean lowerCaseEquals(String text, int from, String expected) {
        for (int i = 0; i < expected.length(); i++) {
            char c = text.charAt(from + i);
            if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The index of the ':' ending a valid scheme (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )) that
     * starts at {@code from}, or -1.
     */
    private static int schemeEnd(String s, int from, int to) {
        if (from >= to || !isAsciiLetter(s.charAt(from))) {
            return -1;
        }
        for (int i = from + 1; i < to && i - from < 64; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                return i;
            }
            if (!isAsciiLetter(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') {
                return -1;
            }
        }
        return -1;
    }

    /** host [":" port] to the normalized host, or null; used for the Host header too. */
    private static String hostOf(String authority) {
        if (authority.isEmpty() || authority.charAt(0) != '[') {
            return nameLabel(authority, 0, authority.length(), null);
        }
        int close = authority.indexOf(']');
        if (close < 0) {
            return null;
        }
        byte[] v6 = IpAddress.parse(authority, 0, close + 1);
        if (v6 == null || v6.length != 16) {
            return null;
        }
        int portFrom = close + 1;
        if (portFrom < authority.length() && (authority.charAt(portFrom) != ':'
                || !isPort(authority, portFrom + 1, authority.length()))) {
            return null;
        }
        return "[" + IpAddress.format(v6) + "]";
    }

    /** Whether the characters from {@code from} to {@code to} are a port: none, or 0 to 65535. */
    private static boolean isPort(String text, int from, int to) {
        if (to - from > 5) {
            return false;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value <= 65535;
    }

    /**
     * Whether the characters from {@code from} to {@code to} are labels of 1 to 63 letters, digits
     * and '-', split by dots, no label starting or ending with '-' (RFC 1123).
     */
    private static boolean isHostName(String text, int from, int to) {
        int labelLength = 0;
        char previous = '.';
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (labelLength == 0 || previous == '-') {
                    return false;
                }
                labelLength = 0;
            } else if (isAsciiLetter(c) || isDigit(c) || c == '-' && previous != '.') {
                if (++labelLength > MAX_LABEL_LENGTH) {
                    return false;
                }
            } else {
                return false;
            }
            previous = c;
        }
        // An empty last label: a second trailing dot, after nameLabel took one.
        return previous != '-' && previous != '.';
    }

    private static boolean isDottedNumeric(String host, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = host.charAt(i);
            if (!isDigit(c) && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
