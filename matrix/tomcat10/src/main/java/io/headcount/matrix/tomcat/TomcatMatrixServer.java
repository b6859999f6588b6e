package io.headcount.matrix.tomcat;

import io.headcount.matrix.app.MatrixApp;
import io.headcount.matrix.app.MatrixPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;

/**
 * The matrix app on embedded Tomcat 10.1 or 11 (jakarta.servlet), in the root context, with the
 * container's default servlet for unmapped paths, as a stand-alone Tomcat has it.
 */
public final class TomcatMatrixServer {
    private TomcatMatrixServer() {
    }

    public static void main(String[] args) throws Exception {
        Path baseDir = Files.createTempDirectory("headcount-matrix-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(MatrixPaths.port(args));
        tomcat.setConnector(connector);
        tomcat.getServer().setPort(-1);

        Context context = tomcat.addContext("", baseDir.toString());
        context.addServletContainerInitializer(new MatrixApp(), null);
        Tomcat.addServlet(context, "default", new DefaultServlet());
        context.addServletMappingDecoded("/", "default");
        ErrorPage errorPage = new ErrorPage();
        errorPage.setErrorCode(500);
        errorPage.setLocation(MatrixPaths.ERROR_PAGE);
        context.addErrorPage(errorPage);

        tomcat.start();
        System.out.println(MatrixPaths.ready("headcount-matrix-tomcat", connector.getLocalPort()));
        tomcat.getServer().await();
    }
}
