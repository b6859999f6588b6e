package io.headcount.testapp;

import jakarta.servlet.Servlet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;

/**
 * The embedded Tomcat with two web apps: the root context and {@code /shop}, so that context paths
 * show in what an agent sees. Paths no servlet maps go to Tomcat's {@code DefaultServlet}, which serves
 * {@code /index.html} and answers 404 for the rest, as a stand-alone Tomcat does.
 */
final class AppServer {
    private final Tomcat tomcat = new Tomcat();
    private final Path baseDir;

    AppServer() throws IOException {
        baseDir = Files.createTempDirectory("headcount-test-app");
    }

    /** Starts Tomcat on {@code port} (0 = a free one) and returns the port it listens on. */
    int start(int port) throws IOException, LifecycleException {
        tomcat.setBaseDir(baseDir.resolve("tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(port);
        tomcat.setConnector(connector);
        // Tomcat's shutdown port is not wanted: the process is stopped by a signal.
        tomcat.getServer().setPort(-1);

        Context root = tomcat.addContext("", staticFiles("root").toString());
        root.getPipeline().addValve(new SignedInValve());
        add(root, "users", new UsersServlet(), "/api/users/*");
        add(root, "orders", new OrdersServlet(), "/api/orders/*");
        add(root, "boom", new BoomServlet(), "/api/boom");
        add(root, "forward", DispatchServlet.forwardingToUsers(), "/api/forward");
        add(root, "include", DispatchServlet.includingUsers(), "/api/include");
        add(root, "sysprops", new SystemPropertiesServlet(), "/api/sysprops");
        add(root, "health", new HealthServlet(), "/health");
        addDefaultServlet(root);
        copyResource("index.html", Path.of(root.getDocBase()).resolve("index.html"));

        Context shop = tomcat.addContext("/shop", staticFiles("shop").toString());
        add(shop, "products", new ProductsServlet(), "/products/*");
        addDefaultServlet(shop);

        tomcat.start();
        return connector.getLocalPort();
    }

    /** Blocks until the JVM is stopped. */
    void await() {
        tomcat.getServer().await();
    }

    /** Removes the temporary base directory; called when the JVM exits. */
    void deleteBaseDir() {
        try (Stream<Path> paths = Files.walk(baseDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: a temporary directory left behind does no harm.
        }
    }

    private Path staticFiles(String name) throws IOException {
        return Files.createDirectories(baseDir.resolve("static").resolve(name));
    }

    private static void add(Context context, String name, Servlet servlet, String mapping) {
        Tomcat.addServlet(context, name, servlet);
        context.addServletMappingDecoded(mapping, name);
    }

    private static void addDefaultServlet(Context context) {
        add(context, "default", new DefaultServlet(), "/");
        Tomcat.addDefaultMimeTypeMappings(context);
        context.addWelcomeFile("index.html");
    }

    private static void copyResource(String name, Path target) {
        try (InputStream in = AppServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            Files.copy(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
