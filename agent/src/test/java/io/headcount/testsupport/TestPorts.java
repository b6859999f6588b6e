package io.headcount.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free ports for the servers a test starts (a Redis, an app's metrics endpoint), each handed out at
 * most once per JVM. The kernel may give the same free port to two binds in a row once the first
 * socket is closed: two apps launched one after the other once got the same metrics port, so one
 * could not serve its metrics and the test scraped the other's twice.
 */
public final class TestPorts {
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int TRIES = 100;

    private TestPorts() {
    }

    /**
     * A port that was free on every address a moment ago and that no earlier call returned. Another
     * process may take it before ours binds it; that window is small.
     */
    public static int free() {
        for (int i = 0; i < TRIES; i++) {
            int port = anyFree();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("the kernel offered only ports handed out already, " + TRIES + " times");
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
