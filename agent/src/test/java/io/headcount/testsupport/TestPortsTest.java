package io.headcount.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TestPortsTest {
    @Test
    void theEphemeralRangeIsReadWhole() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        Assumptions.assumeTrue(Files.exists(range), "a Linux kernel says where its ephemeral ports start");
        Process cat = new ProcessBuilder("cat", range.toString()).start();
        String text = new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertEquals(Integer.parseInt(text.split("\\s+")[0]), TestPorts.ephemeralRangeStart(), text);
    }

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
