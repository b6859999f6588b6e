package io.headcount.matrix.tomcat;

import io.headcount.matrix.app.MatrixPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.servlet.ServletContainerInitializer;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;

/**
 * The matrix app on embedded Tomcat 9 (javax.servlet), in the root context, with the container's
 * default servlet for unmapped paths. The app is created by name: its class is written for
 * jakarta.servlet and becomes a javax one only when this module's jar is shaded.
 */
public final class Tomcat9MatrixServer {
    private Tomcat9MatrixServer() {
    }

    public static void main(String[] args) throws Exception {
        Path baseDir = Files.createTempDirectory("headcount-matrix-tomcat9");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(MatrixPaths.port(args));
        tomcat.setConnector(connector);
        tomcat.getServer().setPort(-1);

        Context context = tomcat.addContext("", baseDir.toString());
        context.addServletContainerInitializer((ServletContainerInitializer)
                Class.forName(MatrixPaths.INITIALIZER).getDeclaredConstructor().newInstance(), null);
        Tomcat.addServlet(context, "default", new DefaultServlet());
        context.addServletMappingDecoded("/", "default");
        ErrorPage errorPage = new ErrorPage();
        errorPage.setErrorCode(500);
        errorPage.setLocation(MatrixPaths.ERROR_PAGE);
        context.addErrorPage(errorPage);

        tomcat.start();
        System.out.println(MatrixPaths.ready("headcount-matrix-tomcat9", connector.getLocalPort()));
        tomcat.getServer().await();
    }
}
