package io.headcount.matrix.jetty;

import io.headcount.matrix.app.MatrixApp;
import io.headcount.matrix.app.MatrixPaths;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The matrix app on embedded Jetty 12 (ee10, jakarta.servlet), in the root context. Unmapped
 * paths reach the servlet handler's own 404 servlet.
 */
public final class Jetty12MatrixServer {
    private Jetty12MatrixServer() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(MatrixPaths.port(args));
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer(new MatrixApp());
        ErrorPageErrorHandler errorPages = new ErrorPageErrorHandler();
        errorPages.addErrorPage(500, MatrixPaths.ERROR_PAGE);
        context.setErrorHandler(errorPages);
        server.setHandler(context);

        server.start();
        System.out.println(MatrixPaths.ready("headcount-matrix-jetty12", connector.getLocalPort()));
        server.join();
    }
}
