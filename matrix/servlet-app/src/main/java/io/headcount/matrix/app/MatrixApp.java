package io.headcount.matrix.app;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The matrix app, registered through the servlet API alone so that every container serves the very
 * same thing. Each server module adds only what the API cannot: the listening port, the context,
 * its default servlet, and the error page at {@value MatrixPaths#ERROR_PAGE}.
 *
 * <ul>
 *   <li>{@code GET /api/users/{id}}: 200 JSON (404 for ids that are not numbers)</li>
 *   <li>{@code GET /api/secret}: 200, but {@link ApiKeyFilter} answers 401 itself without an
 *       {@code X-Api-Key} header</li>
 *   <li>{@code GET /api/forward} and {@code /api/include}: dispatch to {@code /api/users/7}</li>
 *   <li>{@code GET /api/async}: completes from another thread after
 *       {@value MatrixPaths#ASYNC_DELAY_MILLIS} ms; {@code /api/async-timeout} never completes and
 *       times out after {@value MatrixPaths#ASYNC_TIMEOUT_MILLIS} ms; {@code /api/async-timeout-answered}
 *       answers its own timeout with 204</li>
 *   <li>{@code GET /api/boom}: throws, so the container dispatches to the error page</li>
 * </ul>
 */
public final class MatrixApp implements ServletContainerInitializer {
    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        System.out.println(MatrixPaths.info(context.getServerInfo(), context.getMajorVersion() + "." + context.getMinorVersion(),
                ServletContext.class.getName(), null));
        addApi(context);
        addCommon(context);
    }

    /** The API: users, the secret behind the filter, the async ones and the failing one. */
    public static void addApi(ServletContext context) {
        servlet(context, "users", new UsersServlet(), false, "/api/users/*");
        servlet(context, "secret", new SecretServlet(), false, "/api/secret");
        servlet(context, "async", new AsyncServlet(), true, "/api/async");
        servlet(context, "async-timeout", new AsyncTimeoutServlet(), true, "/api/async-timeout");
        servlet(context, "async-timeout-answered", new AsyncTimeoutAnsweredServlet(), true,
                "/api/async-timeout-answered");
        servlet(context, "boom", new BoomServlet(), false, "/api/boom");
    }

    /**
     * What every flavour of the app shares, whoever serves its API: the filter that guards
     * {@code /api/secret}, the dispatching servlets and the error page.
     */
    public static void addCommon(ServletContext context) {
        servlet(context, "forward", ForwardServlet.forward(), false, "/api/forward");
        servlet(context, "include", ForwardServlet.include(), false, "/api/include");
        servlet(context, "error", new ErrorPageServlet(), true, MatrixPaths.ERROR_PAGE);
        FilterRegistration.Dynamic apiKey = context.addFilter("api-key", new ApiKeyFilter());
        apiKey.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/api/secret");
    }

    private static void servlet(ServletContext context, String name, jakarta.servlet.Servlet servlet, boolean async,
                                String mapping) {
        ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
        registration.setAsyncSupported(async);
        registration.addMapping(mapping);
    }
}
