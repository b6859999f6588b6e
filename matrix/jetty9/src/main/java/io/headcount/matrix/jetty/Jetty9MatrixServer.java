package io.headcount.matrix.jetty;

import io.headcount.matrix.app.MatrixPaths;
import javax.servlet.ServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.listener.ContainerInitializer;

/**
 * The matrix app on embedded Jetty 9.4 (javax.servlet), in the root context. The app is created by
 * name: its class is written for jakarta.servlet and becomes a javax one only when this module's
 * jar is shaded. Unmapped paths reach the servlet handler's own 404 servlet.
 */
public final class Jetty9MatrixServer {
    private Jetty9MatrixServer() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(MatrixPaths.port(args));
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        ServletContainerInitializer app = (ServletContainerInitializer)
                Class.forName(MatrixPaths.INITIALIZER).getDeclaredConstructor().newInstance();
        context.addEventListener(ContainerInitializer.asContextListener(app));
        ErrorPageErrorHandler errorPages = new ErrorPageErrorHandler();
        errorPages.addErrorPage(500, MatrixPaths.ERROR_PAGE);
        context.setErrorHandler(errorPages);
        server.setHandler(context);

        server.start();
        System.out.println(MatrixPaths.ready("headcount-matrix-jetty9", connector.getLocalPort()));
        server.join();
    }
}
