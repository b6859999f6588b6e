package io.headcount.agent.config;

import io.headcount.agent.net.IpAddress;


/**
 * Checks a Redis URI completely when it is read, so that a typo is one clear line at start and
 * not a client retrying a host called {@code 127.0.0.1:notaport} forever. Pure; never asks DNS
 * (the Redis host may come up after the app).
 *
 * <p>Accepted: {@code scheme://[userinfo@]hosts[/database][?query][#fragment]} with scheme
 * {@code redis}, {@code rediss} or {@code redis-sentinel}; hosts is one {@code host[:port]}, or
 * for {@code redis-sentinel} several separated by commas; a host is a name, an IPv4 address or
 * an IPv6 address in brackets; a port is 1 to 65535; the database a number. The userinfo is
 * never quoted in a reason, so that no password reaches a log.
 */
final class RedisUrlSyntax {
    static final String[] SCHEMES = {"redis://", "rediss://", "redis-sentinel://"};
    private static final String SENTINEL = "redis-sentinel://";
    private static final int MAX_DATABASE_DIGITS = 5;

    private RedisUrlSyntax() {
    }

    /**
     * @return null when the URI is well formed, "" when it is not a Redis URI at all (wrong scheme,
     *         nothing after it, white space), else the reason in a few words
     */
    static String problem(String uri) {
        String scheme = null;
        for (String candidate : SCHEMES) {
            if (uri.startsWith(candidate)) {
                scheme = candidate;
            }
        }
        if (scheme == null || uri.length() == scheme.length() || !SettingType.noWhitespace(uri)) {
            return "";
        }
        String rest = uri.substring(scheme.length());
        int authorityEnd = indexOfAny(rest, "/?#");
        String authority = rest.substring(0, authorityEnd);
        // Lettuce ends the user part at the first '@' of the URI, this check at the last one: with
        // two, the two would read different hosts.
        int at = authority.lastIndexOf('@');
        if (at >= 0 && authority.indexOf('@') != at) {
            return "more than one '@' before the host; write an '@' in the user name or password as %40";
        }
        // The user part only: Lettuce quotes the URL, password included, when it refuses an escape
        // there. An IPv6 zone ('[fe80::1%eth0]') is no escape, and Lettuce reads it as written.
        if (at >= 0 && badPercentEscape(authority.substring(0, at))) {
            return "a '%' not followed by two hex digits; write a '%' in the user name or password as %25";
        }
        String hosts = authority.substring(at + 1);
        if (hosts.isEmpty()) {
            return "no host";
        }
        String[] hostList = hosts.split(",", -1);
        if (hostList.length > 1 && !scheme.equals(SENTINEL)) {
            return "several hosts are allowed with redis-sentinel:// only";
        }
        for (String host : hostList) {
            String problem = hostProblem(host);
            if (problem != null) {
                return problem;
            }
        }
        if (authorityEnd < rest.length() && rest.charAt(authorityEnd) == '/') {
            String database = rest.substring(authorityEnd + 1, indexOfAny(rest.substring(authorityEnd + 1), "?#")
                    + authorityEnd + 1);
            if (!database.isEmpty() && !isNumber(database, MAX_DATABASE_DIGITS)) {
                return "the database '" + LogText.oneLine(database) + "' after '/' is not a number";
            }
        }
        return null;
    }

    private static String hostProblem(String hostAndPort) {
        if (hostAndPort.isEmpty()) {
            return "an empty host in the host list";
        }
        String host;
        String port = null;
        if (hostAndPort.charAt(0) == '[') {
            int close = hostAndPort.indexOf(']');
            if (close < 0) {
                return "the IPv6 address after '[' is not closed with ']'";
            }
            host = hostAndPort.substring(0, close + 1);
            byte[] address = IpAddress.parse(host);
            if (address == null || address.length != 16) {
                return "'" + LogText.oneLine(host) + "' is not an IPv6 address";
            }
            String after = hostAndPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    return "unexpected text '" + LogText.oneLine(after) + "' after ']'";
                }
                port = after.substring(1);
            }
        } else {
            int colon = hostAndPort.indexOf(':');
            if (colon >= 0 && hostAndPort.indexOf(':', colon + 1) >= 0) {
                return "an IPv6 address must be written in brackets, such as redis://[::1]:6379";
            }
            host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
            port = colon < 0 ? null : hostAndPort.substring(colon + 1);
            if (host.isEmpty()) {
                return "no host before ':'";
            }
            if (!isHostName(host)) {
                return "'" + LogText.oneLine(host) + "' is not a host name or IP address";
            }
            if (looksNumeric(host) && IpAddress.parse(host) == null) {
                return "'" + LogText.oneLine(host) + "' is not an IPv4 address";
            }
        }
        if (port != null && !isPort(port)) {
            return "the port '" + LogText.oneLine(port) + "' is not a number from 1 to 65535";
        }
        return null;
    }

    /** Letters, digits, '.', '-' and '_', as in DNS names and the names of containers and services. */
    static boolean isHostName(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /** Only digits and dots: meant as an IPv4 address, never to be looked up as a name. */
    static boolean looksNumeric(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return !text.isEmpty();
    }

    private static boolean isPort(String text) {
        if (!isNumber(text, 5)) {
            return false;
        }
        int value = Integer.parseInt(text);
        return value >= 1 && value <= 65535;
    }

    private static boolean isNumber(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether a '%' of the text is not followed by two ASCII hex digits, the only escape Lettuce's parser takes. */
    private static boolean badPercentEscape(String text) {
        for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
            if (i + 2 >= text.length() || !isHexDigit(text.charAt(i + 1)) || !isHexDigit(text.charAt(i + 2))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** The first index of any of the characters, or the length. */
    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }
}
