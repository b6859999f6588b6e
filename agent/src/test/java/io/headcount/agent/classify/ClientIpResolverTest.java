package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientIpResolverTest {
    /** The contract's default trusted proxies plus a private range for a load balancer. */
    private final ClientIpResolver resolver = new ClientIpResolver(
            List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1"), Cidr.parse("10.0.0.0/8")));

    @Test
    void untrustedPeerIsTheClientWhateverTheHeadersSay() {
        assertEquals("203.0.113.5", resolver.resolve("203.0.113.5", null, null));
        assertEquals("203.0.113.5", resolver.resolve("203.0.113.5", "for=198.51.100.1", "198.51.100.2"));
        assertEquals("2001:db8::5", resolver.resolve("2001:DB8:0::5", null, "198.51.100.2"));
    }

    @Test
    void trustedPeerWithoutHeadersIsTheClient() {
        assertEquals("127.0.0.1", resolver.resolve("127.0.0.1", null, null));
        assertEquals("::1", resolver.resolve("::1", "", " "));
        assertEquals("127.0.0.1", resolver.resolve("127.0.0.1", "proto=https", null));
    }

    @Test
    void trustedPeerForwardsTheClientFromXForwardedFor() {
        assertEquals("198.51.100.7", resolver.resolve("127.0.0.1", null, "198.51.100.7"));
        assertEquals("198.51.100.7", resolver.resolve("10.0.0.2", null, "198.51.100.7, 10.0.0.1"));
        assertEquals("198.51.100.7", resolver.resolve("10.0.0.2", null, "198.51.100.7:51234"));
        assertEquals("2001:db8::7", resolver.resolve("10.0.0.2", null, "[2001:db8::7]:443"));
        assertEquals("2001:db8::7", resolver.resolve("10.0.0.2", null, "2001:DB8::7"));
        assertEquals("2001:db8::7", resolver.resolve("10.0.0.2", null, "[2001:db8::7]"));
    }

    @Test
    void forwardedWinsOverXForwardedFor() {
        assertEquals("198.51.100.1", resolver.resolve("127.0.0.1", "for=198.51.100.1", "198.51.100.2"));
        assertEquals("127.0.0.1", resolver.resolve("127.0.0.1", "for=unknown", "198.51.100.2"));
    }

    @Test
    void forwardedWithoutForNodesLeavesTheChainToXForwardedFor() {
        assertEquals("198.51.100.2", resolver.resolve("127.0.0.1", "proto=https;host=example.com", "198.51.100.2"));
    }

    @Test
    void forwardedSyntaxOfRfc7239() {
        assertEquals("192.0.2.60", resolver.resolve("127.0.0.1", "for=192.0.2.60;proto=http;by=203.0.113.43", null));
        assertEquals("2001:db8:cafe::17",
                resolver.resolve("127.0.0.1", "For=\"[2001:db8:cafe::17]:4711\"", null));
        assertEquals("198.51.100.17",
                resolver.resolve("127.0.0.1", "for=192.0.2.43, for=198.51.100.17;by=10.0.0.1", null));
        assertEquals("192.0.2.43", resolver.resolve("127.0.0.1", "for=\"192.0.2.43:8080\"", null));
        assertEquals("192.0.2.43", resolver.resolve("127.0.0.1", "for = 192.0.2.43 ; proto=https", null));
        assertEquals("192.0.2.43", resolver.resolve("127.0.0.1", "for=\"\\192.0.2.43\"", null));
        assertEquals("192.0.2.43", resolver.resolve("127.0.0.1", "for=192.0.2.43:_hidden", null));
    }

    @Test
    void unknownAndObfuscatedNodesAreSkipped() {
        assertEquals("198.51.100.9", resolver.resolve("127.0.0.1", "for=198.51.100.9, for=unknown", null));
        assertEquals("198.51.100.9", resolver.resolve("127.0.0.1", "for=198.51.100.9, for=_gazonk", null));
        assertEquals("198.51.100.9", resolver.resolve("127.0.0.1", null, "198.51.100.9, unknown"));
        assertEquals("127.0.0.1", resolver.resolve("127.0.0.1", "for=unknown", null));
        assertEquals("127.0.0.1", resolver.resolve("127.0.0.1", "for=_hidden, for=\"_secret\"", null));
    }

    @Test
    void walkFromTheRightStopsAtTheFirstUntrustedAddress() {
        // The client prepended a fake entry; our proxies appended the real client and themselves.
        assertEquals("198.51.100.23", resolver.resolve("10.0.0.3", null, "1.2.3.4, 198.51.100.23, 10.0.0.2, 10.0.0.1"));
        assertEquals("198.51.100.23", resolver.resolve("10.0.0.3",
                "for=1.2.3.4, for=198.51.100.23, for=10.0.0.2", null));
        // A spoofed "trusted" address left of the real client changes nothing either.
        assertEquals("198.51.100.23", resolver.resolve("127.0.0.1", null, "127.0.0.1, 198.51.100.23"));
    }

    @Test
    void allTrustedChainGivesTheLeftmostValidEntry() {
        assertEquals("10.0.0.9", resolver.resolve("127.0.0.1", null, "garbage, 10.0.0.9, 10.0.0.2"));
        assertEquals("127.0.0.2", resolver.resolve("127.0.0.1", null, "127.0.0.2"));
    }

    @Test
    void malformedEntriesAreSkipped() {
        assertEquals("198.51.100.4", resolver.resolve("127.0.0.1", null, "198.51.100.4, not-an-ip, 999.1.1.1, ,"));
        assertEquals("198.51.100.4", resolver.resolve("127.0.0.1", null, "198.51.100.4, 1.2.3.4:99999, [::1"));
        // Forwarded names nodes, so it is the chain even though none of them is usable.
        assertEquals("127.0.0.1", resolver.resolve("127.0.0.1", "for, for=, =x, for=\"unterminated", "198.51.100.4"));
        assertEquals("127.0.0.1", resolver.resolve("127.0.0.1", null, "example.com, localhost, \u0000, \u65e5\u672c"));
        assertEquals("198.51.100.4", resolver.resolve("127.0.0.1", null, "198.51.100.4:80:80, 198.51.100.4"));
    }

    @Test
    void hostNamesAreNeverLookedUp() {
        // Both would resolve to a trusted or public address if DNS were asked.
        assertEquals("127.0.0.1", resolver.resolve("127.0.0.1", null, "localhost"));
        assertNull(resolver.resolve("localhost", null, "198.51.100.4"));
    }

    @Test
    void unusablePeerGivesNoAddress() {
        assertNull(resolver.resolve(null, null, null));
        assertNull(resolver.resolve("", null, "198.51.100.4"));
        assertNull(resolver.resolve("unix:/var/run/app.sock", null, null));
    }

    @Test
    void resultsAreCanonicalAndUnmapped() {
        assertEquals("198.51.100.4", resolver.resolve("::ffff:198.51.100.4", null, null));
        assertEquals("198.51.100.4", resolver.resolve("::ffff:127.0.0.1", null, "198.51.100.4"));
        assertEquals("2001:db8::1", resolver.resolve(" 2001:0db8:0:0:0:0:0:1 ", null, null));
        assertEquals("198.51.100.4", resolver.resolve("127.0.0.1", null, "::ffff:198.51.100.4"));
    }

    @Test
    void noTrustedProxiesMeansThePeerAlways() {
        ClientIpResolver none = new ClientIpResolver(List.of());
        assertEquals("127.0.0.1", none.resolve("127.0.0.1", "for=198.51.100.1", "198.51.100.2"));
        ClientIpResolver nulls = new ClientIpResolver(Arrays.asList((Cidr) null));
        assertEquals("127.0.0.1", nulls.resolve("127.0.0.1", null, "198.51.100.2"));
        assertEquals("127.0.0.1", new ClientIpResolver(null).resolve("127.0.0.1", null, "198.51.100.2"));
    }

    @Test
    void hugeHeadersAreReadFromTheRight() {
        String chain = "198.51.100.1, ".repeat(500) + "198.51.100.99";
        assertEquals("198.51.100.99", resolver.resolve("127.0.0.1", null, chain));
        assertEquals("127.0.0.1", resolver.resolve("127.0.0.1", null, ",".repeat(100_000)));
        assertEquals("127.0.0.1", resolver.resolve("127.0.0.1", "for=\"" + "\\".repeat(10_000), null));
    }
}
