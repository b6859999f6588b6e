package io.headcount.agent.classify;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The path of a request as the container resolved it, from the raw request URI: the one path that
 * both the {@code exclude.paths} globs and the endpoint label are computed from, once per request.
 * Pure; called on the worker thread only.
 *
 * <p>The steps and their order are Tomcat's ({@code CoyoteAdapter}), which Jetty and Undertow
 * follow or reject more of:
 * <ol>
 *   <li>query and fragment are cut off;</li>
 *   <li>{@code ;parameters} are dropped from each segment ({@code /api;x=1/users} is {@code /api/users},
 *       and {@code /metrics;/../x} is {@code /metrics/../x});</li>
 *   <li>percent-encoding is decoded as UTF-8 ({@code /%61pi} is {@code /api}, {@code %2e%2e} is {@code ..});</li>
 *   <li>empty segments collapse ({@code //api//users} is {@code /api/users}), {@code .} segments go,
 *       and {@code ..} takes the segment before it away ({@code /health/../api} is {@code /api}).
 *       A path that ends in a {@code .} or {@code ..} segment keeps its trailing '/', as Tomcat's.</li>
 * </ol>
 *
 * <p>A path that the containers reject with 400 (so that no app could have served it) resolves to
 * {@code null}: one that does not start with '/', a {@code ..} above the root, a '%' not followed by
 * two hex digits, bytes that are not UTF-8, an encoded '/' ({@code %2F}, rejected by default by
 * Tomcat and Jetty 12, left undecoded by Undertow: the three disagree, so it is refused here), a
 * '\' raw or encoded, a ';' that only decoding revealed ({@code %3B}), a control character, or a
 * lone surrogate.
 */
public final class RequestPaths {
    /** A character a resolving step changes or rejects wherever it stands. */
    private static final int CHANGED = 1;
    /** '?' and '#': the path ends before them. */
    private static final int ENDS_PATH = 2;
    private static final int SLASH = 4;
    /** '/' and '.': changed right after a '/' (an empty or dot segment). */
    private static final int AFTER_SLASH = 8;
    /** What each ASCII character is to {@link #resolve}. */
    private static final byte[] CHARACTER_KINDS = characterKinds();

    private RequestPaths() {
    }

    private static byte[] characterKinds() {
        byte[] kinds = new byte[0x80];
        for (int c = 0; c < 0x20; c++) {
            kinds[c] = CHANGED;
        }
        kinds[0x7f] = CHANGED;
        kinds['%'] = CHANGED;
        kinds[';'] = CHANGED;
        kinds['\\'] = CHANGED;
        kinds['?'] = ENDS_PATH;
        kinds['#'] = ENDS_PATH;
        kinds['/'] = SLASH | AFTER_SLASH;
        kinds['.'] = AFTER_SLASH;
        return kinds;
    }

    /**
     * The resolved path, context path included: starts with '/' and has no query, parameters,
     * percent-encoding, dot or empty segments. Null or empty gives "/"; a path that a container
     * would reject gives null.
     */
    public static String resolve(String requestUri) {
        if (requestUri == null || requestUri.isEmpty()) {
            return "/";
        }
        // One pass for both the query's start and whether anything before it needs resolving: the
        // worker does this for every request. Each character's class comes from a table and the
        // checks gather in one flag, so that the only branch a path takes is at its query: a chain
        // of comparisons a character took 61 ns for the bench's paths, the table 47-50 (2026-12-07).
        int length = requestUri.length();
        int end = length;
        int needsResolving = 0;
        int afterSlash = 0;
        for (int i = 0; i < length; i++) {
            char c = requestUri.charAt(i);
            int kind = c < CHARACTER_KINDS.length ? CHARACTER_KINDS[c] : isControl(c) || Character.isSurrogate(c) ? CHANGED : 0;
            if ((kind & ENDS_PATH) != 0) {
                end = i;
                break;
            }
            needsResolving |= kind & CHANGED | afterSlash & kind;
            afterSlash = (kind & SLASH) == 0 ? 0 : AFTER_SLASH;
        }
        if (end == 0 || requestUri.charAt(0) != '/') {
            return end == 0 ? "/" : null;
        }
        if (needsResolving == 0) {
            // The common case: no copy.
            return end == length ? requestUri : requestUri.substring(0, end);
        }
        return resolveSlowly(requestUri, end);
    }

    /** The context path as the servlet API means it, resolved: "" for the root, no trailing '/'. */
    public static String context(String contextPath) {
        if (contextPath == null || contextPath.isEmpty()) {
            return "";
        }
        String resolved = resolve(contextPath.charAt(0) == '/' ? contextPath : "/".concat(contextPath));
        if (resolved == null) {
            return "";
        }
        int end = resolved.length();
        while (end > 0 && resolved.charAt(end - 1) == '/') {
            end--;
        }
        return resolved.substring(0, end);
    }

    /** Every step, on the path up to {@code end}. Package-private for the test of {@link #resolve}'s one-pass check. */
    static String resolveSlowly(String path, int end) {
        String[] kept = new String[countSlashes(path, end)];
        int depth = 0;
        boolean trailingSlash = false;
        int start = 1;
        while (start <= end) {
            int slash = path.indexOf('/', start);
            int segmentEnd = slash < 0 || slash > end ? end : slash;
            String segment = decodeSegment(path, start, segmentEnd);
            if (segment == null) {
                return null;
            }
            boolean last = segmentEnd == end;
            if (segment.equals("..")) {
                if (depth == 0) {
                    return null;
                }
                depth--;
                trailingSlash = true;
            } else if (segment.isEmpty() || segment.equals(".")) {
                trailingSlash = true;
            } else {
                kept[depth++] = segment;
                trailingSlash = false;
            }
            if (last) {
                break;
            }
            start = segmentEnd + 1;
        }
        StringBuilder out = new StringBuilder(end);
        for (int i = 0; i < depth; i++) {
            out.append('/').append(kept[i]);
        }
        if (trailingSlash || depth == 0) {
            out.append('/');
        }
        return out.toString();
    }

    private static int countSlashes(String path, int end) {
        int slashes = 0;
        for (int i = 0; i < end; i++) {
            if (path.charAt(i) == '/') {
                slashes++;
            }
        }
        return slashes;
    }

    /**
     * One segment between {@code start} and {@code end}, without its parameters, decoded; null when
     * a container would reject it.
     */
    private static String decodeSegment(String path, int start, int end) {
        int parameters = path.indexOf(';', start);
        if (parameters >= 0 && parameters < end) {
            end = parameters;
        }
        boolean encoded = false;
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            if (c == '\\' || isControl(c)) {
                return null;
            }
            if (c == '%' || Character.isSurrogate(c)) {
                encoded = true;
            }
        }
        if (!encoded) {
            return path.substring(start, end);
        }
        byte[] bytes = new byte[(end - start) * 4];
        int length = 0;
        for (int i = start; i < end; i++) {
            char c = path.charAt(i);
            if (c == '%') {
                int high = i + 2 < end ? hex(path.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hex(path.charAt(i + 2));
                if (low < 0) {
                    return null;
                }
                int b = high << 4 | low;
                if (b == '/' || b == '\\' || b == ';' || b < 0x20 || b == 0x7f) {
                    return null;
                }
                bytes[length++] = (byte) b;
                i += 2;
            } else if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else {
                // A container that passed non-ASCII through gave characters, not bytes: keep them.
                int codePoint = path.codePointAt(i);
                if (Character.isSurrogate(c) && !Character.isSupplementaryCodePoint(codePoint)) {
                    return null;
                }
                if (Character.isSupplementaryCodePoint(codePoint) && i + 1 >= end) {
                    return null;
                }
                byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(utf8, 0, bytes, length, utf8.length);
                length += utf8.length;
                i += Character.charCount(codePoint) - 1;
            }
        }
        return utf8(bytes, length);
    }

    /** An ASCII hex digit's value, else -1 ({@link Character#digit} would take other scripts' digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** C0 and C1 controls and DEL: no container lets them through, and no label may hold them. */
    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0);
    }

    private static String utf8(byte[] bytes, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, length));
            for (int i = 0; i < chars.length(); i++) {
                if (isControl(chars.charAt(i))) {
                    return null;
                }
            }
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
