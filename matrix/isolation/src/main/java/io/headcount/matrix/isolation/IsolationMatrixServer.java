package io.headcount.matrix.isolation;

import io.headcount.matrix.app.MatrixApp;
import io.headcount.matrix.app.MatrixPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;

/** The matrix app on embedded Tomcat 11, plus {@link IsolationServlet} at {@code /api/isolation}. */
public final class IsolationMatrixServer {
    private IsolationMatrixServer() {
    }

    public static void main(String[] args) throws Exception {
        Path baseDir = Files.createTempDirectory("headcount-matrix-isolation");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(MatrixPaths.port(args));
        tomcat.setConnector(connector);
        tomcat.getServer().setPort(-1);

        Context context = tomcat.addContext("", baseDir.toString());
        context.addServletContainerInitializer(new MatrixApp(), null);
        Tomcat.addServlet(context, "isolation", new IsolationServlet());
        context.addServletMappingDecoded("/api/isolation", "isolation");
        Tomcat.addServlet(context, "default", new DefaultServlet());
        context.addServletMappingDecoded("/", "default");

        tomcat.start();
        System.out.println(MatrixPaths.ready("headcount-matrix-isolation", connector.getLocalPort()));
        tomcat.getServer().await();
    }
}
