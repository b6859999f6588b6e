package io.headcount.agent.bootstrap;

import java.util.List;

/**
 * The request attributes that carry route templates as frameworks expose them, and the JAX-RS
 * hook's joining of a route. JDK types only, since it lives on the bootstrap class loader beside the
 * sink; the worker makes the one route of a request from the attributes' values
 * ({@code classify.FrameworkRoutes}).
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
    /** Spring MVC's best-matching pattern: the route template of the handler that served the request. */
    public static final String SPRING_ATTRIBUTE = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

    private RouteTemplates() {
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
