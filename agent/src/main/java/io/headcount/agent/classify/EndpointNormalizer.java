package io.headcount.agent.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * The contract's endpoint label of one request, before the {@code endpoint.max} cap. Pure.
 *
 * <ul>
 *   <li>A real route template gives the context path followed by the template
 *       ({@code /shop} + {@code /owners/{ownerId}}), whatever the status.</li>
 *   <li>Otherwise {@code not_found} when nothing of the app served the request, so that scanners
 *       probing random paths cannot fill the cap:
 *       <ul>
 *         <li>a path that a container rejects ({@link RequestPaths#resolve} gave null);</li>
 *         <li>a 404;</li>
 *         <li>a request the container answered itself (its default servlet or its error
 *             handling), or that matched only a catch-all template (every segment {@code *},
 *             {@code **} or Spring's {@code {*name}}, such as {@code /**}, {@code /*} or the
 *             servlet default mapping {@code /}), unless it is a GET or HEAD answered below 400:
 *             those are static files, as many as the files that exist. The default servlet
 *             answers OPTIONS with 200, PUT and DELETE with 405 and unknown methods with 501 on
 *             any path.</li>
 *       </ul></li>
 *   <li>Otherwise the resolved request path (whatever the method and status: an app servlet's
 *       405 or 501 names a path of the app), context path included and query excluded (see
 *       {@link RequestPaths#resolve}), with every ID-like segment (all digits, a UUID, or 16 or
 *       more hex digits) as {@code {id}}. A trailing '/' is kept, since {@code /a/} and
 *       {@code /a} may differ. Control characters of a template are written as {@code %XX}.</li>
 *   <li>The result has at most {@value #MAX_SEGMENTS} segments and {@value #MAX_LENGTH}
 *       characters: a longer one keeps the leading segments that fit and ends in
 *       {@code /{more}}.</li>
 * </ul>
 */
public final class EndpointNormalizer {
    public static final String NOT_FOUND = "not_found";
    /** Segments kept at most. */
    public static final int MAX_SEGMENTS = 16;
    /** Characters kept at most. */
    public static final int MAX_LENGTH = 200;
    /** The last segment of a label that was cut short. */
    public static final String MORE = "{more}";

    static final String ID = "{id}";

    private EndpointNormalizer() {
    }

    /**
     * @param context the resolved context path ({@link RequestPaths#context}), "" for the root
     * @param path the resolved request path ({@link RequestPaths#resolve}), null when rejected
     * @param route the framework's route template relative to the context, or null
     * @param method the request method as the client sent it
     * @param status the response status
     * @param containerAnswered whether the container's default servlet or error handling answered
     */
    public static String normalize(String context, String path, String route, String method, int status,
                                   boolean containerAnswered) {
        String template = templateLabel(context, route);
        return template != null ? template : requestLabel(path, route, method, status, containerAnswered);
    }

    /**
     * As {@link #normalize} for a route that {@link #templateLabel} has found to be no real template
     * (or null): the label then comes from the request, as {@link #normalize} describes.
     */
    public static String requestLabel(String path, String route, String method, int status,
                                      boolean containerAnswered) {
        return labelsPath(path, route, method, status, containerAnswered) ? pathLabel(path) : NOT_FOUND;
    }

    /**
     * Whether {@link #requestLabel} labels the request by its path ({@link #pathLabel}), rather
     * than {@link #NOT_FOUND}; the arguments are {@link #requestLabel}'s.
     */
    public static boolean labelsPath(String path, String route, String method, int status,
                                     boolean containerAnswered) {
        if (path == null || status == 404) {
            return false;
        }
        boolean catchAll = route != null && !route.trim().isEmpty();
        boolean staticFile = ("GET".equals(method) || "HEAD".equals(method)) && status < 400;
        return !(containerAnswered || catchAll) || staticFile;
    }

    /**
     * The label that a real route template gives, whatever the request's path, method and status:
     * the context path followed by the template. Null when the route is null or not a real template
     * (see {@link #normalize}), and the label then depends on the request.
     */
    public static String templateLabel(String context, String route) {
        if (!isTemplate(route)) {
            return null;
        }
        String template = route.trim();
        String joined = (context == null ? "" : context) + (template.startsWith("/") ? template : "/" + template);
        return bounded(segments(collapseSlashes(joined)), false);
    }

    /**
     * The label of a request path: what {@code bounded(segments(path), true)} gives, in one scan
     * that copies nothing when no segment is ID-like or needs escaping (the worker's common case).
     */
    static String pathLabel(String path) {
        int length = path.length();
        if (length == 0 || path.charAt(0) != '/') {
            return bounded(segments(path), true);
        }
        if (length == 1) {
            return "/";
        }
        StringBuilder out = null;
        int segmentCount = 0;
        int start = 1;
        while (true) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? length : slash;
            segmentCount++;
            boolean id = isIdLike(path, start, end);
            if (out == null && (id || hasControl(path, start, end))) {
                out = new StringBuilder(length + ID.length()).append(path, 0, start);
            }
            if (out != null) {
                if (id) {
                    out.append(ID);
                } else {
                    appendEscaped(out, path, start, end);
                }
            }
            if (slash < 0) {
                break;
            }
            if (out != null) {
                out.append('/');
            }
            start = slash + 1;
        }
        if (segmentCount <= MAX_SEGMENTS && (out == null ? length : out.length()) <= MAX_LENGTH) {
            return out == null ? path : out.toString();
        }
        return bounded(segments(path), true);
    }

    private static boolean hasControl(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (isControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** A character that a label writes as {@code %XX}. */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0);
    }

    /** True for a route that names something more specific than "anything at all". */
    static boolean isTemplate(String route) {
        if (route == null || route.trim().isEmpty()) {
            return false;
        }
        for (String segment : route.trim().split("/", -1)) {
            String s = segment.trim();
            boolean catchAll = s.isEmpty() || s.equals("*") || s.equals("**")
                    || (s.startsWith("{*") && s.endsWith("}"));
            if (!catchAll) {
                return true;
            }
        }
        // Includes "/": the servlet default mapping matches anything. A framework's own root
        // route loses nothing by this, since its request path is "/" too.
        return false;
    }

    /** True for all digits, a UUID, or 16 or more hex digits. */
    static boolean isIdLike(String segment) {
        return isIdLike(segment, 0, segment.length());
    }

    /** As {@link #isIdLike(String)}, for the characters of {@code text} from {@code start} to {@code end}. */
    static boolean isIdLike(String text, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return false;
        }
        boolean allDigits = true;
        boolean allHex = true;
        for (int i = start; i < end && allHex; i++) {
            char c = text.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            allDigits &= digit;
            allHex = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        }
        return allDigits || (allHex && length >= 16) || isUuid(text, start, end);
    }

    private static boolean isUuid(String text, int start, int end) {
        if (end - start != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(start + i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static String collapseSlashes(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/' && out.length() > 0 && out.charAt(out.length() - 1) == '/') {
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The segments of a slash-collapsed path; a trailing '/' gives a last empty segment. */
    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        int start = path.startsWith("/") ? 1 : 0;
        if (start >= path.length()) {
            return out;
        }
        while (true) {
            int slash = path.indexOf('/', start);
            if (slash < 0) {
                out.add(path.substring(start));
                return out;
            }
            out.add(path.substring(start, slash));
            start = slash + 1;
        }
    }

    private static String bounded(List<String> segments, boolean replaceIds) {
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder full = new StringBuilder();
        for (String segment : segments) {
            full.append('/');
            appendEscaped(full, replaceIds && isIdLike(segment) ? ID : segment);
        }
        if (segments.size() <= MAX_SEGMENTS && full.length() <= MAX_LENGTH) {
            return full.toString();
        }
        int budget = MAX_LENGTH - 1 - MORE.length();
        StringBuilder out = new StringBuilder(MAX_LENGTH);
        for (int i = 0; i < segments.size() && i < MAX_SEGMENTS - 1; i++) {
            String segment = segments.get(i);
            StringBuilder piece = new StringBuilder().append('/');
            appendEscaped(piece, replaceIds && isIdLike(segment) ? ID : segment);
            if (out.length() + piece.length() > budget) {
                if (i == 0) {
                    // One huge segment: keep its start, without splitting a surrogate pair.
                    int end = Character.isHighSurrogate(piece.charAt(budget - 1)) ? budget - 1 : budget;
                    out.append(piece, 0, end);
                }
                break;
            }
            out.append(piece);
        }
        return out.append('/').append(MORE).toString();
    }

    private static void appendEscaped(StringBuilder out, String segment) {
        appendEscaped(out, segment, 0, segment.length());
    }

    private static void appendEscaped(StringBuilder out, String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append(c);
            }
        }
    }
}
