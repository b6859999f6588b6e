package io.headcount.agent.classify;

/**
 * The one route of a request, from the route attributes that frameworks left in it (see
 * {@code bootstrap.RouteTemplates}): chosen and stripped on the worker, not on the request thread.
 * Pure.
 */
public final class FrameworkRoutes {
    private FrameworkRoutes() {
    }

    /**
     * The route of a request, relative to its context path as the endpoint rules expect it, or null
     * when no framework exposed one.
     *
     * @param first the value of the agent's own route attribute, {@code RouteTemplates.ATTRIBUTE}:
     *     the first dispatch's route from the server root, {@code ""} when it had none
     * @param spring the value of Spring MVC's best-matching-pattern attribute
     */
    public static String choose(String first, String spring, String contextPath) {
        if (first != null) {
            String route = first;
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
        return spring != null ? withoutPatterns(spring) : null;
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
}
