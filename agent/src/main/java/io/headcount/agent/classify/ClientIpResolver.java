package io.headcount.agent.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the client's address, believing proxy headers only from trusted peers. Thread-safe.
 *
 * <p>When the direct peer is not in a trusted block, it is the client, whatever the headers say
 * (anyone can send them). When it is trusted, the proxy chain is read from {@code Forwarded}
 * (RFC 7239, its {@code for=} parameters) when that header names at least one node, else from
 * {@code X-Forwarded-For}, and walked from the right, the end our own proxies wrote: trusted
 * addresses are skipped, and the first untrusted one is the client. Entries on its left were
 * written by the client or by proxies we do not know, so they are never believed. When every
 * address is trusted, the leftmost one is the client. Entries that are not an address
 * ({@code unknown}, obfuscated {@code _names}, garbage) are skipped; when nothing usable is
 * left, the peer is the client.
 *
 * <p>Results are canonical text (see {@link IpAddress}); an IPv4-mapped IPv6 address is given
 * as its IPv4 address.
 */
public final class ClientIpResolver {
    /** More entries than this are not a real chain; only the rightmost ones are read. */
    private static final int MAX_NODES = 64;

    private final Cidr[] trusted;

    public ClientIpResolver(List<Cidr> trustedProxies) {
        List<Cidr> copy = new ArrayList<>();
        if (trustedProxies != null) {
            for (Cidr cidr : trustedProxies) {
                if (cidr != null) {
                    copy.add(cidr);
                }
            }
        }
        this.trusted = copy.toArray(new Cidr[0]);
    }

    /** @return the client's canonical IP text, or null when none can be told */
    public String resolve(String remoteAddr, String forwarded, String xForwardedFor) {
        byte[] client = resolveAddress(remoteAddr, forwarded, xForwardedFor);
        return client == null ? null : IpAddress.format(client);
    }

    /** As {@link #resolve}, as 4 or 16 address bytes (IPv4-mapped IPv6 as 4), or null. */
    public byte[] resolveAddress(String remoteAddr, String forwarded, String xForwardedFor) {
        byte[] peer = remoteAddr == null ? null : IpAddress.parse(remoteAddr.trim());
        if (peer == null) {
            return null; // not an address (a Unix socket, say): nothing to key on or to trust
        }
        peer = IpAddress.unmapped(peer);
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> chain = forwardedFor(forwarded);
        if (chain.isEmpty()) {
            chain = xForwardedFor(xForwardedFor);
        }
        byte[] leftmostValid = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            byte[] address = parseNode(chain.get(i));
            if (address == null) {
                continue;
            }
            address = IpAddress.unmapped(address);
            if (!isTrusted(address)) {
                return address;
            }
            leftmostValid = address;
        }
        return leftmostValid != null ? leftmostValid : peer;
    }

    private boolean isTrusted(byte[] address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code for=} values of a Forwarded header in order, unquoted; empty when none. */
    static List<String> forwardedFor(String header) {
        List<String> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        int length = header.length();
        int i = 0;
        while (i < length) {
            // One forwarded-pair: token "=" ( token / quoted-string ), then ';' or ',' or the end.
            while (i < length && (isSpace(header.charAt(i)) || header.charAt(i) == ';'
                    || header.charAt(i) == ',')) {
                i++;
            }
            int nameStart = i;
            while (i < length && header.charAt(i) != '=' && header.charAt(i) != ';'
                    && header.charAt(i) != ',') {
                i++;
            }
            String name = header.substring(nameStart, i).trim();
            if (i >= length || header.charAt(i) != '=') {
                continue; // a pair without '=' is malformed: skip it
            }
            i++;
            while (i < length && isSpace(header.charAt(i))) {
                i++;
            }
            String value;
            if (i < length && header.charAt(i) == '"') {
                StringBuilder quoted = new StringBuilder();
                i++;
                while (i < length && header.charAt(i) != '"') {
                    char c = header.charAt(i);
                    if (c == '\\' && i + 1 < length) {
                        i++;
                        c = header.charAt(i);
                    }
                    quoted.append(c);
                    i++;
                }
                i++; // the closing quote, if any
                value = quoted.toString();
                while (i < length && header.charAt(i) != ';' && header.charAt(i) != ',') {
                    i++; // junk after the closing quote
                }
            } else {
                int valueStart = i;
                while (i < length && header.charAt(i) != ';' && header.charAt(i) != ',') {
                    i++;
                }
                value = header.substring(valueStart, i).trim();
            }
            if (name.equalsIgnoreCase("for")) {
                out.add(value);
                if (out.size() > MAX_NODES) {
                    out.remove(0);
                }
            }
        }
        return out;
    }

    /** The comma-separated entries of an X-Forwarded-For header in order, trimmed. */
    static List<String> xForwardedFor(String header) {
        List<String> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        int start = 0;
        while (start <= header.length()) {
            int comma = header.indexOf(',', start);
            int end = comma < 0 ? header.length() : comma;
            String entry = header.substring(start, end).trim();
            if (!entry.isEmpty()) {
                out.add(entry);
                if (out.size() > MAX_NODES) {
                    out.remove(0);
                }
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return out;
    }

    /**
     * An address from one chain entry: {@code 192.0.2.1}, {@code 192.0.2.1:8080},
     * {@code 2001:db8::1}, {@code [2001:db8::1]} or {@code [2001:db8::1]:8080}; null for
     * anything else, {@code unknown} and obfuscated identifiers included.
     */
    static byte[] parseNode(String node) {
        String s = node.trim();
        if (s.isEmpty()) {
            return null;
        }
        if (s.charAt(0) == '[') {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            if (close != s.length() - 1 && !isPort(s, close + 1)) {
                return null;
            }
            return IpAddress.parse(s.substring(0, close + 1));
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && s.indexOf(':', colon + 1) < 0) {
            // Exactly one ':' is an IPv4 address with a port, never IPv6.
            if (!isPort(s, colon)) {
                return null;
            }
            byte[] v4 = IpAddress.parse(s.substring(0, colon));
            return v4 != null && v4.length == 4 ? v4 : null;
        }
        return IpAddress.parse(s);
    }

    /** True when {@code s} from {@code colon} is ':' and a port: 0 to 65535 or an obfuscated {@code _port}. */
    private static boolean isPort(String s, int colon) {
        if (colon >= s.length() - 1 || s.charAt(colon) != ':') {
            return false;
        }
        String port = s.substring(colon + 1);
        if (port.charAt(0) == '_') {
            return port.length() > 1;
        }
        if (port.length() > 5) {
            return false;
        }
        int value = 0;
        for (int i = 0; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65535;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
