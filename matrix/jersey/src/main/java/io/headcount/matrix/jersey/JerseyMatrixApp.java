package io.headcount.matrix.jersey;

import io.headcount.matrix.app.MatrixApp;
import io.headcount.matrix.app.MatrixPaths;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.Set;
import org.glassfish.jersey.internal.Version;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The matrix app with its API in JAX-RS: Jersey's servlet at {@code /api/*} serves
 * {@link ApiResource}; the filter that guards {@code /api/secret}, the dispatching servlets and the
 * error page are the common ones (exact servlet mappings win over Jersey's prefix mapping), so
 * {@code /api/forward} forwards from a plain servlet into Jersey.
 */
public final class JerseyMatrixApp implements ServletContainerInitializer {
    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        System.out.println(MatrixPaths.info(context.getServerInfo(), context.getMajorVersion() + "." + context.getMinorVersion(),
                ServletContext.class.getName(), "Jersey " + Version.getVersion()));
        MatrixApp.addCommon(context);
        ServletRegistration.Dynamic jersey = context.addServlet("jersey",
                new ServletContainer(new ResourceConfig(ApiResource.class)));
        jersey.setAsyncSupported(true);
        jersey.addMapping("/api/*");
    }
}
