package io.headcount.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for the servers a test starts (a Redis, an app's metrics endpoint), each handed out at
 * most once per JVM, and on Linux taken from below the kernel's ephemeral range.
 *
 * <p>Two flakes made it so. The kernel may give the same free port to two binds in a row once the
 * first socket is closed: two apps launched one after the other once got the same metrics port, so
 * one could not serve its metrics and the test scraped the other's twice. And a port found by
 * binding port 0 is an ephemeral one, which the kernel can hand to the next process that binds
 * port 0: an app started with {@code --port 0} got the very port a test had picked to show that
 * nothing listens there. Below the ephemeral range no bind of port 0 lands.
 */
public final class TestPorts {
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int TRIES = 100;
    /** The lowest port handed out: below are the well-known and many services' own. */
    private static final int LOWEST = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private TestPorts() {
    }

    /**
     * A port that was free on every address a moment ago and that no earlier call returned. Another
     * process may take it before ours binds it; that window is small, and below the ephemeral
     * range only a process that chose that very port can.
     */
    public static int free() {
        int below = ephemeralRangeStart();
        if (below > LOWEST) {
            int span = below - LOWEST;
            int start = ThreadLocalRandom.current().nextInt(span);
            for (int i = 0; i < span; i++) {
                int port = LOWEST + (start + i) % span;
                if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        for (int i = 0; i < TRIES; i++) {
            int port = anyFree();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("the kernel offered only ports handed out already, " + TRIES + " times");
    }

    /** The first ephemeral port on Linux (32768 by default); 0 where the kernel does not say. */
    static int ephemeralRangeStart() {
        // Read through a buffer, not Files.readString: a sysctl file reports size 0, readString then
        // reads one byte and asks again from offset 1, and the kernel answers a sysctl read that does
        // not start at 0 with end of file, so readString returned "3" of "32768 60999".
        try (BufferedReader reader = Files.newBufferedReader(EPHEMERAL_RANGE)) {
            return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException noLinuxRange) {
            return 0;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
