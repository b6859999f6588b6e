package io.headcount.matrix.app;

/**
 * Names the server modules need to wire the app. Free of servlet types on purpose: the javax
 * servers compile against this class while the app itself is written for jakarta.servlet.
 */
public final class MatrixPaths {
    /** The {@code ServletContainerInitializer} that registers the app. */
    public static final String INITIALIZER = "io.headcount.matrix.app.MatrixApp";
    /** Where the container dispatches errors (500 and uncaught exceptions). */
    public static final String ERROR_PAGE = "/error";
    public static final long ASYNC_DELAY_MILLIS = 200;
    public static final long ASYNC_TIMEOUT_MILLIS = 200;

    private MatrixPaths() {
    }

    /** The line a test reads to know the app serves: {@code <app> listening on port <port>}. */
    public static String ready(String app, int port) {
        return app + " listening on port " + port;
    }

    /**
     * The line a test reads to know what runs: the server's own description of itself, its servlet
     * API (from the API's own class name, so a relocated javax app says javax) and the JVM.
     *
     * @param framework e.g. {@code Spring Boot 3.5.7}, or null for a plain servlet app
     */
    public static String info(String serverInfo, String servletVersion, String servletContextClass, String framework) {
        String namespace = servletContextClass.startsWith("javax.") ? "javax" : "jakarta";
        return "headcount-matrix-app info|server=" + serverInfo + "|servlet=" + servletVersion
                + "|namespace=" + namespace + "|java=" + System.getProperty("java.specification.version")
                + "|framework=" + (framework == null ? "" : framework);
    }

    /** The {@code --port N} argument (0 = any free port); 8080 without it. */
    public static int port(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--port")) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return 8080;
    }
}
