package io.headcount.agent.bootstrap;

import java.util.List;

/**
 * Route templates as frameworks expose them, made into the one route of a request. Pure; JDK
 * types only, since it lives on the bootstrap class loader beside the sink.
 *
 * <p>Two request attributes carry a route. Spring MVC's best-matching pattern is relative to the
 * context path, and Spring overwrites it in every dispatch, so a forward or an error page would
 * leave the target's route there. Ours, {@value #ATTRIBUTE}, holds the route of the request's
 * first dispatch from the server root (context path included, since JAX-RS knows its base path
 * but not the context path): set by the JAX-RS hook, or by the advice when a forward, include or
 * error dispatch begins, as a copy of Spring's pattern at that moment, or {@code ""} when the
 * first dispatch had no route. The first writer wins: the endpoint is what the client asked for.
 */
public final class RouteTemplates {
    /** Request attribute (a JAX-RS request property too) with the first dispatch's route from the root. */
    public static final String ATTRIBUTE = "io.headcount.route";

    private RouteTemplates() {
    }

    /**
     * The route of a request, relative to its context path as the endpoint rules expect it, or null
     * when no framework exposed one.
     *
     * @param first the value of {@link #ATTRIBUTE}
     * @param spring the value of Spring MVC's best-matching-pattern attribute
     */
    public static String choose(Object first, Object spring, String contextPath) {
        if (first instanceof String) {
            String route = (String) first;
            if (route.isEmpty()) {
                return null;
            }
            String context = contextPath == null ? "" : contextPath;
            if (!context.isEmpty() && route.startsWith(context)
                    && (route.length() == context.length() || route.charAt(context.length()) == '/')) {
                route = route.length() == context.length() ? "/" : route.substring(context.length());
            }
            return withoutPatterns(route);
        }
        return spring instanceof String ? withoutPatterns((String) spring) : null;
    }

    /**
     * The full route of a JAX-RS request: its base path (context path, servlet path, application
     * path) followed by the matched templates from the least specific to the most.
     *
     * @param basePath the raw path of the application's base URI, such as {@code /shop/api/}
     * @param mostSpecificFirst the matched templates as JAX-RS lists them, such as
     *     {@code ["/{id}", "/users"]}
     */
    public static String joinJaxRs(String basePath, List<String> mostSpecificFirst) {
        StringBuilder route = new StringBuilder(trimSlashes(basePath == null ? "" : basePath));
        for (int i = mostSpecificFirst.size() - 1; i >= 0; i--) {
            String template = trimSlashes(mostSpecificFirst.get(i));
            if (!template.isEmpty()) {
                route.append(template);
            }
        }
        return route.length() == 0 ? "/" : route.toString();
    }

    /**
     * Drops the regular expression of each variable ({@code {id: [0-9]+}} and Spring's
     * {@code {id:\d+}} become {@code {id}}): the name says what the segment is, and the pattern
     * would only make labels long and hard to read.
     */
    static String withoutPatterns(String route) {
        if (route.indexOf(':') < 0) {
            return route;
        }
        StringBuilder out = new StringBuilder(route.length());
        int i = 0;
        while (i < route.length()) {
            char c = route.charAt(i);
            if (c != '{') {
                out.append(c);
                i++;
                continue;
            }
            int end = closingBrace(route, i);
            if (end < 0) {
                out.append(route, i, route.length());
                break;
            }
            String variable = route.substring(i + 1, end);
            int colon = variable.indexOf(':');
            out.append('{').append((colon < 0 ? variable : variable.substring(0, colon)).trim()).append('}');
            i = end + 1;
        }
        return out.toString();
    }

    /** The brace that closes the one at {@code open}; regular expressions may nest braces ({@code \d{2}}). */
    private static int closingBrace(String route, int open) {
        int depth = 0;
        for (int i = open; i < route.length(); i++) {
            char c = route.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@code "/a/"} and {@code "a"} both become {@code "/a"}; {@code "/"} becomes {@code ""}. */
    private static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return start == end ? "" : "/" + path.substring(start, end);
    }
}
