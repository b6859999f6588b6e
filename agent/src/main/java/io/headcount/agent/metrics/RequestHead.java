package io.headcount.agent.metrics;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The request line and header fields of one HTTP/1.x request, parsed strictly (RFC 9112): anything
 * the metrics endpoint cannot read without guessing is malformed and answered with 400, never
 * interpreted. A pure function of the head's text; the body is never read.
 */
final class RequestHead {
    private final String method;
    private final String path;
    private final Map<String, String> headers;

    private RequestHead(String method, String path, Map<String, String> headers) {
        this.method = method;
        this.path = path;
        this.headers = headers;
    }

    /** The method as sent (methods are case-sensitive). */
    String method() {
        return method;
    }

    /** The request target without its query. */
    String path() {
        return path;
    }

    /** A header's value (repeated fields joined with {@code ", "}), or null; the name in any case. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * True when the request announces a body ({@code Transfer-Encoding}, or a {@code Content-Length}
     * other than 0, {@code 00} being 0 too); the endpoint reads none.
     */
    boolean hasBody() {
        String length = header("Content-Length");
        return header("Transfer-Encoding") != null || (length != null && !isZero(length));
    }

    /** Whether a valid Content-Length (digits only, checked when parsed) is zero however it is written. */
    private static boolean isZero(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a request head: the text up to and including the empty line, its bytes read as
     * ISO-8859-1, lines ending in CRLF or a bare LF; empty lines before the request line are ignored.
     *
     * @return the head, or null when it is malformed
     */
    static RequestHead parse(String text) {
        int start = 0;
        while (text.startsWith("\r\n", start) || text.startsWith("\n", start)) {
            start += text.charAt(start) == '\r' ? 2 : 1;
        }
        int lineEnd = lineEnd(text, start);
        if (lineEnd < 0) {
            return null;
        }
        String requestLine = text.substring(start, lineEnd);
        int firstSpace = requestLine.indexOf(' ');
        int lastSpace = requestLine.lastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace == firstSpace) {
            return null;
        }
        String method = requestLine.substring(0, firstSpace);
        String target = requestLine.substring(firstSpace + 1, lastSpace);
        String version = requestLine.substring(lastSpace + 1);
        if (!isToken(method) || !isTarget(target) || !(version.equals("HTTP/1.1") || version.equals("HTTP/1.0"))) {
            return null;
        }
        Map<String, String> headers = new HashMap<>();
        int position = next(text, lineEnd);
        while (true) {
            int end = lineEnd(text, position);
            if (end < 0) {
                return null;
            }
            if (end == position) {
                break;
            }
            if (!addHeader(text.substring(position, end), headers)) {
                return null;
            }
            position = next(text, end);
        }
        if (version.equals("HTTP/1.1") && !headers.containsKey("host")) {
            return null;
        }
        if (!validContentLength(headers.get("content-length"))) {
            return null;
        }
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        return new RequestHead(method, path, Collections.unmodifiableMap(headers));
    }

    /** The index of the line's CR or LF, or -1 when the line does not end properly. */
    private static int lineEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                return i;
            }
            if (c == '\r') {
                return i + 1 < text.length() && text.charAt(i + 1) == '\n' ? i : -1;
            }
        }
        return -1;
    }

    private static int next(String text, int lineEnd) {
        return text.charAt(lineEnd) == '\r' ? lineEnd + 2 : lineEnd + 1;
    }

    private static boolean addHeader(String line, Map<String, String> headers) {
        int colon = line.indexOf(':');
        // Also refuses obsolete line folding (a line starting with white space) and "Name :".
        if (colon <= 0 || !isToken(line.substring(0, colon))) {
            return false;
        }
        String value = line.substring(colon + 1).trim();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
        String earlier = headers.get(name);
        if (earlier != null && (name.equals("host") || name.equals("content-length") || name.equals("authorization"))) {
            return false;
        }
        headers.put(name, earlier == null ? value : earlier + ", " + value);
        return true;
    }

    private static boolean validContentLength(String value) {
        if (value == null) {
            return true;
        }
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 token: one or more tchar. */
    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Visible ASCII only: no white space, controls or raw non-ASCII bytes in a request target. */
    private static boolean isTarget(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
