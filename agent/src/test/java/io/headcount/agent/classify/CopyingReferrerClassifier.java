package io.headcount.agent.classify;

import io.headcount.agent.net.IpAddress;
import java.util.Locale;

/**
 * {@link ReferrerClassifier} as it was until 2026-12-06, when it cut the header into copies of its
 * authority, host and port before checking each. Kept as the reference that the classifier, which
 * now reads the header where it stands, must agree with.
 */
final class CopyingReferrerClassifier {
    public static final String DIRECT = "direct";
    public static final String INTERNAL = "internal";
    public static final String OTHER = "other";

    private static final int MAX_HOST_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private CopyingReferrerClassifier() {
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

    /** As {@link #classify}, with the request's own host already given by {@link #ownHost}. */
    public static String classifyAgainst(String referer, String own) {
        if (referer == null || referer.trim().isEmpty()) {
            return DIRECT;
        }
        String host = refererHost(referer.trim());
        if (host == null) {
            return OTHER;
        }
        if (own != null && (host.equals(own) || (host.endsWith(own) && host.length() > own.length()
                && host.charAt(host.length() - own.length() - 1) == '.' && own.indexOf(':') < 0
                && !isDottedNumeric(own)))) {
            return INTERNAL;
        }
        // Since 2026-12-07 only domain names are labels: an address, or a name a browser reads as
        // one (its last label a number), is other.
        boolean address = host.startsWith("[") || host.matches("(.*\\.)?([0-9]+|0[xX][0-9a-fA-F]*)");
        return address || host.equals(DIRECT) || host.equals(INTERNAL) || host.equals(OTHER) ? OTHER : host;
    }

    /** The usable, normalized host of a Referer value, or null. */
    private static String refererHost(String referer) {
        int authorityStart;
        if (referer.startsWith("//")) {
            authorityStart = 2;
        } else {
            int colon = schemeEnd(referer);
            if (colon < 0 || !referer.startsWith("//", colon + 1)) {
                return null;
            }
            authorityStart = colon + 3;
        }
        int authorityEnd = referer.length();
        for (int i = authorityStart; i < referer.length(); i++) {
            char c = referer.charAt(i);
            if (c == '/' || c == '\\' || c == '?' || c == '#') {
                authorityEnd = i;
                break;
            }
        }
        String authority = referer.substring(authorityStart, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        return hostOf(authority);
    }

    /** The index of the ':' ending a valid scheme (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )), or -1. */
    private static int schemeEnd(String s) {
        if (s.isEmpty() || !isAsciiLetter(s.charAt(0))) {
            return -1;
        }
        for (int i = 1; i < s.length() && i < 64; i++) {
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
        if (authority.isEmpty()) {
            return null;
        }
        String host;
        String port;
        if (authority.charAt(0) == '[') {
            int close = authority.indexOf(']');
            if (close < 0) {
                return null;
            }
            byte[] v6 = IpAddress.parse(authority.substring(0, close + 1));
            if (v6 == null || v6.length != 16) {
                return null;
            }
            host = "[" + IpAddress.format(v6) + "]";
            String rest = authority.substring(close + 1);
            if (rest.isEmpty()) {
                return host;
            }
            if (rest.charAt(0) != ':') {
                return null;
            }
            port = rest.substring(1);
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? "" : authority.substring(colon + 1);
            host = hostName(host);
            if (host == null) {
                return null;
            }
        }
        if (port.length() > 5) {
            return null;
        }
        int value = 0;
        for (int i = 0; i < port.length(); i++) {
            if (!isDigit(port.charAt(i))) {
                return null;
            }
            value = value * 10 + (port.charAt(i) - '0');
        }
        return value <= 65535 ? host : null;
    }

    /** A registered name or IPv4 literal, lower-cased without one trailing dot and a leading www. */
    private static String hostName(String raw) {
        String host = raw.endsWith(".") ? raw.substring(0, raw.length() - 1) : raw;
        if (host.isEmpty() || host.length() > MAX_HOST_LENGTH || host.endsWith(".")) {
            return null;
        }
        int labelLength = 0;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.') {
                if (labelLength == 0 || host.charAt(i - 1) == '-') {
                    return null;
                }
                labelLength = 0;
            } else if (isAsciiLetter(c) || isDigit(c) || c == '-') {
                if (++labelLength > MAX_LABEL_LENGTH) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (host.startsWith("-") || host.endsWith("-") || host.contains(".-")) {
            return null;
        }
        if (isDottedNumeric(host)) {
            byte[] v4 = IpAddress.parse(host);
            return v4 == null ? null : IpAddress.format(v4);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("www.") && host.length() > 4) {
            host = host.substring(4);
        }
        return host;
    }

    private static boolean isDottedNumeric(String host) {
        for (int i = 0; i < host.length(); i++) {
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
