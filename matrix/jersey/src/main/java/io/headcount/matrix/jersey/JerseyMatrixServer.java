package io.headcount.matrix.jersey;

import io.headcount.matrix.app.MatrixPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;

/** The JAX-RS matrix app on embedded Tomcat 11, wired as the Tomcat apps are. */
public final class JerseyMatrixServer {
    private JerseyMatrixServer() {
    }

    public static void main(String[] args) throws Exception {
        Path baseDir = Files.createTempDirectory("headcount-matrix-jersey");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(MatrixPaths.port(args));
        tomcat.setConnector(connector);
        tomcat.getServer().setPort(-1);

        Context context = tomcat.addContext("", baseDir.toString());
        context.addServletContainerInitializer(new JerseyMatrixApp(), null);
        Tomcat.addServlet(context, "default", new DefaultServlet());
        context.addServletMappingDecoded("/", "default");
        ErrorPage errorPage = new ErrorPage();
        errorPage.setErrorCode(500);
        errorPage.setLocation(MatrixPaths.ERROR_PAGE);
        context.addErrorPage(errorPage);

        tomcat.start();
        System.out.println(MatrixPaths.ready("headcount-matrix-jersey", connector.getLocalPort()));
        tomcat.getServer().await();
    }
}
