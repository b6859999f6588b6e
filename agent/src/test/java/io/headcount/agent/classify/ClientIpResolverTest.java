package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.headcount.agent.net.Cidr;
import io.headcount.agent.net.ForwardedHeader;
import io.headcount.agent.net.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientIpResolverTest {
    /** The default of trusted-proxies (issue 17). */
    private static final List<Cidr> DEFAULT_TRUSTED = cidrs("10.0.0.0/8", "192.168.0.0/16", "169.254.0.0/16",
            "127.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "::1", "fc00::/7", "fe80::/10");

    private final ClientIpResolver xff = new ClientIpResolver(DEFAULT_TRUSTED);
    private final ClientIpResolver forwarded = new ClientIpResolver(DEFAULT_TRUSTED, ForwardedHeader.FORWARDED);

    private static List<Cidr> cidrs(String... blocks) {
        List<Cidr> out = new ArrayList<>();
        for (String block : blocks) {
            out.add(Cidr.parse(block));
        }
        return out;
    }

    @Test
    void nginxAppendingXForwardedForMakesClientSentForwardedValuesOneVisitor() {
        // Finding 3 of issue 10: nginx ($proxy_add_x_forwarded_for) appends the real client to
        // X-Forwarded-For and passes the client's own Forwarded header through untouched.
        Set<String> visitors = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String spoofed = "for=198.51.100." + i;
            visitors.add(xff.resolve("127.0.0.1", spoofed, "203.0.113.77"));
        }
        assertEquals(Set.of("203.0.113.77"), visitors);
    }

    @Test
    void eachRequestsOwnCopyOfAPeerIsAnsweredAsTheFirstWhileOtherPeersComeBetween() {
        // The peer of the last request is remembered by its text: a container hands each request
        // a new string, and behind a proxy they all hold the proxy's address.
        String[] peers = {"127.0.0.1", "127.0.0.1", " 203.0.113.9", "127.0.0.1", "203.0.113.9", "::ffff:127.0.0.1",
            "not an address", "127.0.0.1", "10.1.2.3", "10.1.2.3"};
        List<String> clients = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String peer : peers) {
            String copy = new String(peer.toCharArray());
            clients.add(xff.resolve(copy, null, "198.51.100.7"));
            byte[] untrusted = xff.untrustedPeerWithForwarding(new String(peer.toCharArray()), null, "198.51.100.7");
            ignored.add(untrusted == null ? null : IpAddress.format(untrusted));
        }
        assertEquals(Arrays.asList("198.51.100.7", "198.51.100.7", "203.0.113.9", "198.51.100.7", "203.0.113.9",
                "198.51.100.7", null, "198.51.100.7", "198.51.100.7", "198.51.100.7"), clients);
        assertEquals(Arrays.asList(null, null, "203.0.113.9", null, "203.0.113.9", null, null, null, null, null),
                ignored);
    }

    @Test
    void xForwardedForModeIgnoresForwardedEntirely() {
        assertEquals("198.51.100.2", xff.resolve("127.0.0.1", "for=198.51.100.1", "198.51.100.2"));
        assertEquals("127.0.0.1", xff.resolve("127.0.0.1", "for=198.51.100.1", null));
        assertEquals("198.51.100.2", xff.resolve("127.0.0.1", "for=unknown", "198.51.100.2"));
    }

    @Test
    void forwardedModeIgnoresXForwardedForEntirely() {
        assertEquals("198.51.100.1", forwarded.resolve("127.0.0.1", "for=198.51.100.1", "198.51.100.2"));
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", null, "198.51.100.2"));
        // A client's X-Forwarded-For behind a proxy that appends Forwarded: one visitor.
        Set<String> visitors = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            visitors.add(forwarded.resolve("10.1.2.3", "for=203.0.113.77;proto=https", "198.51.100." + i));
        }
        assertEquals(Set.of("203.0.113.77"), visitors);
    }

    @Test
    void untrustedPeerIsTheClientWhateverTheHeadersSay() {
        assertEquals("203.0.113.5", xff.resolve("203.0.113.5", null, null));
        assertEquals("203.0.113.5", xff.resolve("203.0.113.5", "for=198.51.100.1", "198.51.100.2"));
        assertEquals("2001:db8::5", xff.resolve("2001:DB8:0::5", null, "198.51.100.2"));
        assertEquals("203.0.113.5", forwarded.resolve("203.0.113.5", "for=198.51.100.1", null));
    }

    @Test
    void trustedPeerWithoutHeadersIsTheClient() {
        assertEquals("127.0.0.1", xff.resolve("127.0.0.1", null, null));
        assertEquals("::1", xff.resolve("::1", "", " "));
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "", null));
    }

    @Test
    void trustedPeerForwardsTheClientFromXForwardedFor() {
        assertEquals("198.51.100.7", xff.resolve("127.0.0.1", null, "198.51.100.7"));
        assertEquals("198.51.100.7", xff.resolve("10.0.0.2", null, "198.51.100.7, 10.0.0.1"));
        assertEquals("198.51.100.7", xff.resolve("10.0.0.2", null, "198.51.100.7:51234"));
        assertEquals("2001:db8::7", xff.resolve("10.0.0.2", null, "[2001:db8::7]:443"));
        assertEquals("2001:db8::7", xff.resolve("10.0.0.2", null, "2001:DB8::7"));
        assertEquals("2001:db8::7", xff.resolve("10.0.0.2", null, "[2001:db8::7]"));
        assertEquals("2001:db8::7", xff.resolve("fe80::1%eth0", null, "fe80::9%2, 2001:db8::7, fd00::1"));
    }

    @Test
    void chainOfTrustedProxiesIsWalkedFromTheRight() {
        // client -> CDN edge (trusted by an explicit list) -> ingress 10.x -> sidecar 127.0.0.1
        ClientIpResolver withCdn = new ClientIpResolver(cidrs("127.0.0.0/8", "10.0.0.0/8", "198.18.0.0/15"));
        assertEquals("203.0.113.9", withCdn.resolve("127.0.0.1", null, "203.0.113.9, 198.18.4.4, 10.2.0.7"));
        // The client prepended a fake entry; our proxies appended the real client and themselves.
        assertEquals("198.51.100.23", xff.resolve("10.0.0.3", null, "1.2.3.4, 198.51.100.23, 10.0.0.2, 10.0.0.1"));
        assertEquals("198.51.100.23", forwarded.resolve("10.0.0.3",
                "for=1.2.3.4, for=198.51.100.23, for=10.0.0.2", null));
        // A spoofed "trusted" address left of the real client changes nothing either.
        assertEquals("198.51.100.23", xff.resolve("127.0.0.1", null, "127.0.0.1, 198.51.100.23"));
    }

    @Test
    void allTrustedChainGivesTheLeftmostEntry() {
        assertEquals("10.0.0.9", xff.resolve("127.0.0.1", null, "10.0.0.9, 172.16.0.2"));
        assertEquals("127.0.0.2", xff.resolve("127.0.0.1", null, "127.0.0.2"));
        assertEquals("192.168.1.1", forwarded.resolve("127.0.0.1", "for=192.168.1.1, for=100.64.0.1", null));
    }

    @Test
    void forwardedSyntaxOfRfc7239() {
        assertEquals("192.0.2.60", forwarded.resolve("127.0.0.1", "for=192.0.2.60;proto=http;by=203.0.113.43", null));
        assertEquals("2001:db8:cafe::17",
                forwarded.resolve("127.0.0.1", "For=\"[2001:db8:cafe::17]:4711\"", null));
        assertEquals("198.51.100.17",
                forwarded.resolve("127.0.0.1", "for=192.0.2.43, for=198.51.100.17;by=10.0.0.1", null));
        assertEquals("192.0.2.43", forwarded.resolve("127.0.0.1", "for=\"192.0.2.43:8080\"", null));
        assertEquals("192.0.2.43", forwarded.resolve("127.0.0.1", "for = 192.0.2.43 ; proto=https", null));
        assertEquals("192.0.2.43", forwarded.resolve("127.0.0.1", "for=\"\\192.0.2.43\"", null));
        assertEquals("192.0.2.43", forwarded.resolve("127.0.0.1", "for=192.0.2.43:_hidden", null));
        assertEquals("2001:db8::1", forwarded.resolve("127.0.0.1", "for=\"[2001:db8::1]:_p\";proto=https", null));
        assertEquals("192.0.2.43", forwarded.resolve("127.0.0.1", "for=192.0.2.43,", null));
    }

    @Test
    void unknownOrObfuscatedHopEndsTheWalkAtTheProxyThatWroteIt() {
        // RemoteIpValve stops at the first entry it does not trust; a non-address is never trusted.
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "for=198.51.100.9, for=unknown", null));
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "for=198.51.100.9, for=_gazonk", null));
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "for=198.51.100.9, for=\"_secret\"", null));
        assertEquals("10.0.0.2", forwarded.resolve("127.0.0.1", "for=198.51.100.9, for=_hidden, for=10.0.0.2", null));
        assertEquals("127.0.0.1", xff.resolve("127.0.0.1", null, "198.51.100.9, unknown"));
        assertEquals("10.0.0.2", xff.resolve("127.0.0.1", null, "198.51.100.9, unknown, 10.0.0.2"));
    }

    @Test
    void malformedEntryInTheMiddleStopsTheWalkSoTheClientCannotChooseItsAddress() {
        // Whatever a client writes left of garbage is never believed: 100 choices, one visitor.
        Set<String> visitors = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            visitors.add(xff.resolve("10.0.0.1", null, "198.51.100." + i + ", not-an-ip, 10.0.0.7"));
        }
        assertEquals(Set.of("10.0.0.7"), visitors);
        assertEquals("127.0.0.1", xff.resolve("127.0.0.1", null, "198.51.100.4, 999.1.1.1"));
        assertEquals("127.0.0.1", xff.resolve("127.0.0.1", null, "198.51.100.4, 1.2.3.4:99999"));
        assertEquals("127.0.0.1", xff.resolve("127.0.0.1", null, "198.51.100.4, [::1"));
        assertEquals("127.0.0.1", xff.resolve("127.0.0.1", null, "198.51.100.4, 198.51.100.4:80:80"));
        assertEquals("127.0.0.1", xff.resolve("127.0.0.1", null, "198.51.100.4, example.com"));
        assertEquals("127.0.0.1", xff.resolve("127.0.0.1", null, "198.51.100.4, 010.0.0.1"));
        assertEquals("127.0.0.1", xff.resolve("127.0.0.1", null, "\u0000, \u65e5\u672c"));
        // Empty entries are no hop at all, as in RemoteIpValve's comma split.
        assertEquals("198.51.100.4", xff.resolve("127.0.0.1", null, "198.51.100.4, , ,"));
    }

    @Test
    void malformedForwardedElementsEndTheWalk() {
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "for=198.51.100.4, proto=https", null));
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "for=198.51.100.4, for=1.1.1.1;for=2.2.2.2", null));
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "for=198.51.100.4, for=\"203.0.113.1", null));
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "for=198.51.100.4, for=\"203.0.113.1\"x", null));
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "for=198.51.100.4, for", null));
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "for=198.51.100.4, for=", null));
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "for=198.51.100.4, =x", null));
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "for=198.51.100.4, for=203.0.113.1;junk", null));
    }

    @Test
    void hostNamesAreNeverLookedUp() {
        // Both would resolve to a trusted or public address if DNS were asked.
        assertEquals("127.0.0.1", xff.resolve("127.0.0.1", null, "localhost"));
        assertNull(xff.resolve("localhost", null, "198.51.100.4"));
    }

    @Test
    void unusablePeerGivesNoAddress() {
        assertNull(xff.resolve(null, null, null));
        assertNull(xff.resolve("", null, "198.51.100.4"));
        assertNull(xff.resolve("unix:/var/run/app.sock", null, null));
    }

    @Test
    void resultsAreCanonicalAndUnmapped() {
        assertEquals("198.51.100.4", xff.resolve("::ffff:198.51.100.4", null, null));
        assertEquals("198.51.100.4", xff.resolve("::ffff:127.0.0.1", null, "198.51.100.4"));
        assertEquals("2001:db8::1", xff.resolve(" 2001:0db8:0:0:0:0:0:1 ", null, null));
        assertEquals("198.51.100.4", xff.resolve("127.0.0.1", null, "::ffff:198.51.100.4"));
        assertEquals("198.51.100.4", xff.resolve("127.0.0.1", null, "198.51.100.4, ::ffff:10.0.0.1"));
    }

    @Test
    void defaultTrustsEachDefaultRangeAndNothingOutside() {
        String[] inside = {"10.0.0.1", "10.255.255.255", "192.168.0.1", "192.168.255.254", "169.254.1.1",
            "127.0.0.1", "127.255.0.9", "100.64.0.1", "100.127.255.255", "172.16.0.1", "172.31.255.255", "::1",
            "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "::ffff:10.0.0.1"};
        for (String peer : inside) {
            assertEquals("198.51.100.7", xff.resolve(peer, null, "198.51.100.7"), peer);
            assertNull(xff.untrustedPeerWithForwarding(peer, null, "198.51.100.7"), peer);
        }
        String[] outside = {"9.255.255.255", "11.0.0.0", "192.167.255.255", "192.169.0.0", "169.253.255.255",
            "169.255.0.0", "126.255.255.255", "128.0.0.0", "100.63.255.255", "100.128.0.0", "172.15.255.255",
            "172.32.0.0", "203.0.113.1", "8.8.8.8", "::2", "::", "fbff::1", "fe00::1", "fec0::1", "2001:db8::1",
            "::ffff:8.8.8.8"};
        for (String peer : outside) {
            String canonical = IpAddress.canonical(peer);
            assertEquals(canonical, xff.resolve(peer, null, "198.51.100.7"), peer);
            assertArrayEquals(IpAddress.unmapped(IpAddress.parse(peer)),
                    xff.untrustedPeerWithForwarding(peer, null, "198.51.100.7"), peer);
        }
    }

    @Test
    void untrustedPeerWithEitherHeaderIsReportedWhateverTheAuthority() {
        byte[] peer = {(byte) 203, 0, 113, 5};
        assertArrayEquals(peer, xff.untrustedPeerWithForwarding("203.0.113.5", null, "198.51.100.1"));
        assertArrayEquals(peer, xff.untrustedPeerWithForwarding("203.0.113.5", "for=198.51.100.1", null));
        assertArrayEquals(peer, forwarded.untrustedPeerWithForwarding("203.0.113.5", null, "198.51.100.1"));
        assertNull(xff.untrustedPeerWithForwarding("203.0.113.5", null, null));
        assertNull(xff.untrustedPeerWithForwarding("203.0.113.5", " ", ""));
        assertNull(xff.untrustedPeerWithForwarding("not an address", null, "198.51.100.1"));
        assertNull(xff.untrustedPeerWithForwarding("10.0.0.1", null, "198.51.100.1"));
    }

    @Test
    void explicitEmptyListTrustsNoProxy() {
        ClientIpResolver none = new ClientIpResolver(List.of());
        assertEquals("127.0.0.1", none.resolve("127.0.0.1", "for=198.51.100.1", "198.51.100.2"));
        assertArrayEquals(new byte[] {127, 0, 0, 1}, none.untrustedPeerWithForwarding("127.0.0.1", null, "198.51.100.2"));
        ClientIpResolver nulls = new ClientIpResolver(Arrays.asList((Cidr) null));
        assertEquals("127.0.0.1", nulls.resolve("127.0.0.1", null, "198.51.100.2"));
        assertEquals("127.0.0.1", new ClientIpResolver(null, null).resolve("127.0.0.1", null, "198.51.100.2"));
    }

    @Test
    void hugeHeadersAreReadFromTheRightAndAtMost64Hops() {
        String chain = "198.51.100.1, ".repeat(500) + "198.51.100.99";
        assertEquals("198.51.100.99", xff.resolve("127.0.0.1", null, chain));
        assertEquals("127.0.0.1", xff.resolve("127.0.0.1", null, ",".repeat(100_000)));
        assertEquals("127.0.0.1", forwarded.resolve("127.0.0.1", "for=\"" + "\\".repeat(10_000), null));
        // 64 trusted hops are read; the 65th from the right, a client's choice, is not.
        assertEquals("10.0.0.64", xff.resolve("127.0.0.1", null, "198.51.100.5, " + hops(64)));
        assertEquals("198.51.100.5", xff.resolve("127.0.0.1", null, "198.51.100.5, " + hops(63)));
        assertEquals("10.0.0.64", forwarded.resolve("127.0.0.1",
                "for=198.51.100.5, for=" + hops(64).replace(", ", ", for="), null));
    }

    /** 10.0.0.n, ..., 10.0.0.2, 10.0.0.1: n trusted hops, the first written last. */
    private static String hops(int n) {
        StringBuilder out = new StringBuilder();
        for (int i = n; i >= 1; i--) {
            out.append("10.0.0.").append(i).append(i > 1 ? ", " : "");
        }
        return out.toString();
    }
}
