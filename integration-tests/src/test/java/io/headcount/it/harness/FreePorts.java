package io.headcount.it.harness;

import io.headcount.testsupport.TestPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Ports for the processes a test starts. */
public final class FreePorts {
    private FreePorts() {
    }

    /**
     * A port that was free a moment ago, never one handed out before in this JVM (to an app or a
     * Redis), and on Linux below the ephemeral range, so no app started with port 0 can land on it
     * ({@link TestPorts}). Another process may still choose that very port before ours binds it;
     * the app under test reports its own port instead wherever it can.
     */
    public static int pick() {
        return TestPorts.free();
    }

    /** True when something accepts TCP connections on {@code 127.0.0.1:port}. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
