package io.headcount.testapp;

import java.util.Arrays;

/**
 * Entry point. {@code --port N} (0 = a free port) runs the app and prints
 * {@code headcount-test-app listening on port N} once it serves; {@code --http-server-port N} also
 * starts a JDK {@code com.sun.net.httpserver} server answering {@code /ping}. {@code demo} runs the
 * agent demo instead (see {@link Demo}).
 */
public final class TestApp {
    static final String READY_PREFIX = "headcount-test-app listening on port ";

    private TestApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("demo")) {
            System.exit(new Demo(Arrays.copyOfRange(args, 1, args.length)).run());
        }
        int port = 8080;
        Integer pingPort = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--port") || arg.equals("--http-server-port")) && i + 1 < args.length) {
                int value = parsePort(arg, args[++i]);
                if (arg.equals("--port")) {
                    port = value;
                } else {
                    pingPort = value;
                }
            } else {
                usage("unknown argument: " + arg);
            }
        }

        new TomcatLogging().quiet();
        if (pingPort != null) {
            System.out.println("headcount-test-app ping server on port " + PingServer.start(pingPort));
        }
        AppServer server = new AppServer();
        Runtime.getRuntime().addShutdownHook(new Thread(server::deleteBaseDir, "delete-base-dir"));
        int listening = server.start(port);
        if (listening <= 0) {
            System.err.println("headcount-test-app: could not listen on port " + port);
            System.exit(1);
        }
        System.out.println(READY_PREFIX + listening);
        server.await();
    }

    private static int parsePort(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(option + " needs a port number from 0 to 65535, not " + value);
        return -1;
    }

    private static void usage(String problem) {
        System.err.println("headcount-test-app: " + problem);
        System.err.println("usage: java -jar headcount-test-app.jar [--port N] [--http-server-port N]");
        System.err.println("       java -jar headcount-test-app.jar demo [--agent PATH] [--exit]");
        System.exit(2);
    }
}
