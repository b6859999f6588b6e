package io.headcount.agent.classify;

import io.headcount.agent.net.Cidr;
import io.headcount.agent.net.IpAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * The X-Forwarded-For walk as {@link ClientIpResolver} did it until 2026-12-06: the header split
 * into a list of trimmed copies of its last 65 non-blank entries, each entry parsed from its own
 * copy. Kept as the reference that the walk in place must agree with.
 */
final class ListWalk {
    private ListWalk() {
    }

    static byte[] resolve(List<Cidr> trusted, String remoteAddr, String xForwardedFor) {
        byte[] peer = remoteAddr == null ? null : IpAddress.unmapped(IpAddress.parse(remoteAddr.trim()));
        if (peer == null || !isTrusted(trusted, peer)) {
            return peer;
        }
        Iterator<String> hops = entries(xForwardedFor).descendingIterator();
        byte[] client = peer;
        int read = 0;
        while (hops.hasNext() && read++ < ClientIpResolver.MAX_HOPS) {
            byte[] address = parseNode(hops.next());
            if (address == null) {
                return client;
            }
            client = IpAddress.unmapped(address);
            if (!isTrusted(trusted, client)) {
                return client;
            }
        }
        return client;
    }

    private static boolean isTrusted(List<Cidr> trusted, byte[] address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static ArrayDeque<String> entries(String header) {
        ArrayDeque<String> out = new ArrayDeque<>();
        if (header == null) {
            return out;
        }
        int end = header.length();
        while (end >= 0 && out.size() <= ClientIpResolver.MAX_HOPS) {
            int comma = header.lastIndexOf(',', end - 1);
            String entry = header.substring(comma + 1, end).trim();
            if (!entry.isEmpty()) {
                out.addFirst(entry);
            }
            if (comma < 0) {
                break;
            }
            end = comma;
        }
        return out;
    }

    private static byte[] parseNode(String node) {
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
            if (!isPort(s, colon)) {
                return null;
            }
            byte[] v4 = IpAddress.parse(s.substring(0, colon));
            return v4 != null && v4.length == 4 ? v4 : null;
        }
        return IpAddress.parse(s);
    }

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
}
