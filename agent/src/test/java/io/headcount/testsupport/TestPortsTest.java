package io.headcount.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestPortsTest {
    @Test
    void portsAreDistinctFreeAndBelowTheEphemeralRange() throws IOException {
        int ephemeral = TestPorts.ephemeralRangeStart();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = TestPorts.free();
            assertTrue(ports.add(port), "handed out twice: " + port);
            if (ephemeral > 10_000) {
                assertTrue(port >= 10_000 && port < ephemeral, port + " outside 10000.." + ephemeral);
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                assertEquals(port, socket.getLocalPort());
            }
        }
    }
}
