package io.headcount.agent.classify;

import io.headcount.agent.net.Cidr;
import io.headcount.agent.net.ForwardedHeader;
import io.headcount.agent.net.IpAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Finds the client's address the way Tomcat's {@code RemoteIpValve} does, believing a proxy
 * header only from trusted peers. Thread-safe.
 *
 * <p>When the direct peer is not in a trusted block, it is the client, whatever the headers say
 * (anyone can send them). When it is trusted, the chain of one header, the authoritative one
 * ({@link ForwardedHeader}), is walked from the right, the end our own proxies wrote: trusted
 * addresses are passed over and the first untrusted one is the client. The other header is never
 * read, so that a client cannot put its own copy of it before the proxy's. When every entry is
 * trusted, the leftmost is the client.
 *
 * <p>An entry that is not an address ({@code unknown}, an obfuscated {@code _name}, a host name,
 * garbage, a {@code Forwarded} element without {@code for=}) ends the walk, as in
 * {@code RemoteIpValve}: the trusted hop that wrote it, the entry on its right or the peer, is
 * the client. Nothing left of such an entry is believed, since whoever wrote it, the proxy
 * vouches for nothing there: reading on would let a client choose its counted address. Likewise
 * the walk reads at most {@value #MAX_HOPS} entries.
 *
 * <p>Results are canonical text (see {@link IpAddress}); an IPv4-mapped IPv6 address is given
 * as its IPv4 address.
 */
public final class ClientIpResolver {
    /** More entries than this are not a real chain; only the rightmost ones are read. */
    static final int MAX_HOPS = 64;

    private final Cidr[] trusted;
    private final ForwardedHeader authority;
    /**
     * The peer parsed last, so that the worker's two questions about one event
     * ({@link #untrustedPeerWithForwarding}, then {@link #resolveAddress}) parse its address once,
     * and so that behind a reverse proxy, where every request comes from the proxy's one address,
     * that address is parsed and checked against {@code trusted-proxies} once. Its bytes are
     * shared by every caller, which only reads them. Immutable (final fields), so a thread that
     * reads another's finds a whole one or misses; not volatile, since a miss only costs a parse.
     */
    private ParsedPeer lastPeer = new ParsedPeer(null, null, false);

    /** Believes {@code X-Forwarded-For}. */
    public ClientIpResolver(List<Cidr> trustedProxies) {
        this(trustedProxies, ForwardedHeader.X_FORWARDED_FOR);
    }

    /** @param authority the one header whose chain is read; null means X-Forwarded-For */
    public ClientIpResolver(List<Cidr> trustedProxies, ForwardedHeader authority) {
        List<Cidr> copy = new ArrayList<>();
        if (trustedProxies != null) {
            for (Cidr cidr : trustedProxies) {
                if (cidr != null) {
                    copy.add(cidr);
                }
            }
        }
        this.trusted = copy.toArray(new Cidr[0]);
        this.authority = authority == null ? ForwardedHeader.X_FORWARDED_FOR : authority;
    }

    /** @return the client's canonical IP text, or null when none can be told */
    public String resolve(String remoteAddr, String forwarded, String xForwardedFor) {
        byte[] client = resolveAddress(remoteAddr, forwarded, xForwardedFor);
        return client == null ? null : IpAddress.format(client);
    }

    /** As {@link #resolve}, as 4 or 16 address bytes (IPv4-mapped IPv6 as 4), or null. */
    public byte[] resolveAddress(String remoteAddr, String forwarded, String xForwardedFor) {
        ParsedPeer parsed = parsedPeer(remoteAddr);
        byte[] peer = parsed.address;
        if (peer == null || !parsed.trusted) {
            return peer; // null: not an address (a Unix socket, say), nothing to key on or to trust
        }
        if (authority == ForwardedHeader.X_FORWARDED_FOR) {
            return walkXForwardedFor(peer, xForwardedFor);
        }
        Iterator<String> hops = forwardedFor(forwarded).descendingIterator();
        byte[] client = peer;
        int read = 0;
        while (hops.hasNext() && read++ < MAX_HOPS) {
            byte[] address = parseNode(hops.next());
            if (address == null) {
                return client; // the trusted hop on its right wrote it; nothing further left is vouched for
            }
            client = IpAddress.unmapped(address);
            if (!isTrusted(client)) {
                return client;
            }
        }
        return client;
    }

    /**
     * The walk of {@link #resolveAddress} over an X-Forwarded-For header: its comma-separated entries
     * from the right, blank ones passed over, at most {@link #MAX_HOPS} of them read. Each entry is
     * read where it stands in the header, with no list of entries and no copy of one: behind a
     * proxy every request brings the header, and usually only its last entry is read.
     */
    private byte[] walkXForwardedFor(byte[] peer, String header) {
        byte[] client = peer;
        if (header == null) {
            return client;
        }
        int end = header.length();
        int read = 0;
        while (read < MAX_HOPS) {
            int comma = header.lastIndexOf(',', end - 1);
            if (!TextRange.isBlank(header, comma + 1, end)) {
                read++;
                byte[] address = parseNode(header, comma + 1, end);
                if (address == null) {
                    return client; // the trusted hop on its right wrote it; nothing further left is vouched for
                }
                client = IpAddress.unmapped(address);
                if (!isTrusted(client)) {
                    return client;
                }
            }
            if (comma < 0) {
                return client;
            }
            end = comma;
        }
        return client;
    }

    /**
     * The peer when it is an address outside the trusted blocks and the request carries a
     * forwarding header, else null. Such a peer is counted as the client; the operator may have
     * missed a proxy. The advice reads only the authoritative header, so the other one is null here.
     */
    public byte[] untrustedPeerWithForwarding(String remoteAddr, String forwarded, String xForwardedFor) {
        if (isBlank(forwarded) && isBlank(xForwardedFor)) {
            return null;
        }
        ParsedPeer parsed = parsedPeer(remoteAddr);
        return parsed.address == null || parsed.trusted ? null : parsed.address;
    }

    /** The peer's address and whether it is trusted, parsed again only for another address string. */
    private ParsedPeer parsedPeer(String remoteAddr) {
        ParsedPeer last = lastPeer;
        // The container makes a new string for each request, so the same text, not the same instance.
        if (remoteAddr != null && remoteAddr.equals(last.text)) {
            return last;
        }
        byte[] address = remoteAddr == null ? null : IpAddress.unmapped(IpAddress.parse(remoteAddr.trim()));
        ParsedPeer parsed = new ParsedPeer(remoteAddr, address, address != null && isTrusted(address));
        lastPeer = parsed;
        return parsed;
    }

    private boolean isTrusted(byte[] address) {
        if (address.length == 4) {
            int ipv4 = Cidr.ipv4(address, 0);
            for (Cidr cidr : trusted) {
                if (cidr.containsIpv4(ipv4)) {
                    return true;
                }
            }
            return false;
        }
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The hops of a Forwarded header (RFC 7239) in order, each the unquoted value of its element's
     * {@code for=} parameter, or null for an element without exactly one {@code for=} or with an
     * unterminated quote. Only the last {@link #MAX_HOPS} + 1 elements are kept.
     */
    static ArrayDeque<String> forwardedFor(String header) {
        ArrayDeque<String> out = new ArrayDeque<>();
        if (isBlank(header)) {
            return out;
        }
        int length = header.length();
        int i = 0;
        String forValue = null;
        int forCount = 0;
        boolean broken = false;
        boolean elementHasContent = false;
        while (i <= length) {
            if (i == length || header.charAt(i) == ',') {
                if (elementHasContent) {
                    keepLast(out, forCount == 1 && !broken ? forValue : null);
                }
                forValue = null;
                forCount = 0;
                broken = false;
                elementHasContent = false;
                i++;
                continue;
            }
            char c = header.charAt(i);
            if (isSpace(c) || c == ';') {
                i++;
                continue;
            }
            // One forwarded-pair: token "=" ( token / quoted-string ), up to ';' or ',' or the end.
            elementHasContent = true;
            int nameStart = i;
            while (i < length && header.charAt(i) != '=' && header.charAt(i) != ';' && header.charAt(i) != ',') {
                i++;
            }
            String name = header.substring(nameStart, i).trim();
            if (i >= length || header.charAt(i) != '=') {
                broken = true; // a pair without '='
                continue;
            }
            i++;
            while (i < length && isSpace(header.charAt(i))) {
                i++;
            }
            String value;
            if (i < length && header.charAt(i) == '"') {
                StringBuilder quoted = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < length) {
                    char q = header.charAt(i++);
                    if (q == '"') {
                        closed = true;
                        break;
                    }
                    if (q == '\\' && i < length) {
                        q = header.charAt(i++);
                    }
                    quoted.append(q);
                }
                if (!closed) {
                    broken = true;
                }
                int junkStart = i;
                while (i < length && header.charAt(i) != ';' && header.charAt(i) != ',') {
                    i++;
                }
                if (!header.substring(junkStart, i).trim().isEmpty()) {
                    broken = true; // text after the closing quote
                }
                value = quoted.toString();
            } else {
                int valueStart = i;
                while (i < length && header.charAt(i) != ';' && header.charAt(i) != ',') {
                    i++;
                }
                value = header.substring(valueStart, i).trim();
            }
            if (name.equalsIgnoreCase("for")) {
                forValue = value;
                forCount++;
            }
        }
        return out;
    }

    private static void keepLast(ArrayDeque<String> hops, String hop) {
        hops.addLast(hop == null ? "" : hop);
        if (hops.size() > MAX_HOPS + 1) {
            hops.removeFirst();
        }
    }

    /**
     * An address from one chain entry: {@code 192.0.2.1}, {@code 192.0.2.1:8080},
     * {@code 2001:db8::1}, {@code [2001:db8::1]} or {@code [2001:db8::1]:8080}, the port possibly
     * an obfuscated {@code _name}; null for anything else, {@code unknown} and obfuscated
     * identifiers included.
     */
    static byte[] parseNode(String node) {
        return node == null ? null : parseNode(node, 0, node.length());
    }

    /** As {@link #parseNode(String)}, for the characters of {@code text} from {@code from} to {@code to}, trimmed. */
    private static byte[] parseNode(String text, int from, int to) {
        int start = TextRange.trimStart(text, from, to);
        int end = TextRange.trimEnd(text, start, to);
        if (start == end) {
            return null;
        }
        if (text.charAt(start) == '[') {
            int close = TextRange.indexOf(text, ']', start, end);
            if (close < 0) {
                return null;
            }
            if (close != end - 1 && !isPort(text, close + 1, end)) {
                return null;
            }
            return IpAddress.parse(text, start, close + 1);
        }
        int colon = TextRange.indexOf(text, ':', start, end);
        if (colon >= 0 && TextRange.indexOf(text, ':', colon + 1, end) < 0) {
            // Exactly one ':' is an IPv4 address with a port, never IPv6.
            if (!isPort(text, colon, end)) {
                return null;
            }
            byte[] v4 = IpAddress.parse(text, start, colon);
            return v4 != null && v4.length == 4 ? v4 : null;
        }
        return IpAddress.parse(text, start, end);
    }

    /**
     * True when {@code s} from {@code colon} up to {@code end} is ':' and a port: 0 to 65535 or an
     * obfuscated {@code _port}.
     */
    private static boolean isPort(String s, int colon, int end) {
        if (colon >= end - 1 || s.charAt(colon) != ':') {
            return false;
        }
        int from = colon + 1;
        if (s.charAt(from) == '_') {
            return end - from > 1;
        }
        if (end - from > 5) {
            return false;
        }
        int value = 0;
        for (int i = from; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65535;
    }

    private static boolean isBlank(String text) {
        return text == null || TextRange.isBlank(text, 0, text.length());
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** A peer address string, its bytes (null when it is no address) and whether a trusted block holds it. */
    private static final class ParsedPeer {
        final String text;
        final byte[] address;
        final boolean trusted;

        ParsedPeer(String text, byte[] address, boolean trusted) {
            this.text = text;
            this.address = address;
            this.trusted = trusted;
        }
    }
}
