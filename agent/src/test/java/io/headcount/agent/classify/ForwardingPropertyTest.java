package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.net.Cidr;
import io.headcount.agent.net.ForwardedHeader;
import io.headcount.agent.net.IpAddress;
import io.headcount.testsupport.HostileInputs;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests over generated hostile text (issue 10, Deliver 8) for the parsers of client
 * addresses: no exception, and every output an address of 4 or 16 bytes, or null.
 */
class ForwardingPropertyTest {
    private static final List<Cidr> DEFAULT_TRUSTED = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("192.168.0.0/16"),
            Cidr.parse("169.254.0.0/16"), Cidr.parse("127.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
            Cidr.parse("172.16.0.0/12"), Cidr.parse("::1"), Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"));
    private static final ClientIpResolver XFF = new ClientIpResolver(DEFAULT_TRUSTED, ForwardedHeader.X_FORWARDED_FOR);
    private static final ClientIpResolver FORWARDED = new ClientIpResolver(DEFAULT_TRUSTED, ForwardedHeader.FORWARDED);
    private static final String[] PEERS = {"127.0.0.1", "10.0.0.1", "::1", "203.0.113.9", "2001:db8::9", "garbage", null};

    static Stream<String> hostile() {
        return HostileInputs.strings(0x10f0_4ead_e4L, 400).stream();
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void resolverGivesAnAddressOrNullForAnyHeaders(String text) {
        for (String peer : PEERS) {
            for (ClientIpResolver resolver : new ClientIpResolver[] {XFF, FORWARDED}) {
                byte[] client = assertDoesNotThrow(() -> resolver.resolveAddress(peer, text, text));
                assertBoundedAddress(client);
                if (peer == null || peer.equals("garbage")) {
                    assertEquals(null, client);
                }
                if (peer != null && peer.startsWith("203.")) {
                    assertEquals("203.0.113.9", IpAddress.format(client));
                }
                String shown = assertDoesNotThrow(() -> resolver.resolve(peer, text, text));
                assertTrue(shown == null || IpAddress.canonical(shown).equals(shown), shown);
                assertBoundedAddress(assertDoesNotThrow(() -> resolver.untrustedPeerWithForwarding(peer, text, text)));
            }
        }
        // The text as the peer itself.
        assertBoundedAddress(assertDoesNotThrow(() -> XFF.resolveAddress(text, text, text)));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void chainParsersKeepAtMost65Hops(String text) {
        assertTrue(assertDoesNotThrow(() -> ClientIpResolver.forwardedFor(text)).size() <= ClientIpResolver.MAX_HOPS + 1);
        assertBoundedAddress(assertDoesNotThrow(() -> ClientIpResolver.parseNode(text)));
    }

    /**
     * The X-Forwarded-For walk reads entries where they stand in the header; it must answer as the
     * walk over a list of trimmed copies that it replaced ({@link ListWalk}), for hostile text and
     * for chains of real and broken entries, whatever the peer.
     */
    @ParameterizedTest
    @MethodSource("hostile")
    void xForwardedForWalkAnswersAsTheListWalkItReplaced(String text) {
        for (String chain : new String[] {text, text + ", 198.51.100.7", "10.0.0.1, " + text, text + ",10.0.0.2"}) {
            for (String peer : PEERS) {
                assertArrayEquals(ListWalk.resolve(DEFAULT_TRUSTED, peer, chain), XFF.resolveAddress(peer, null, chain),
                        () -> peer + " with " + chain);
            }
        }
    }

    @Test
    void xForwardedForWalkAnswersAsTheListWalkForGeneratedChains() {
        String[] entries = {"198.51.100.7", "203.0.113.9:8080", "10.0.0.1", " 10.1.2.3 ", "127.0.0.1:_hidden", "::1",
            "[::1]", "[::1]:443", "[2001:db8::1]:_x", "2001:db8::1", "::ffff:10.0.0.9", "::ffff:198.51.100.3", "fe80::1%eth0",
            "unknown", "_proxy", "", " ", "\t", "1.2.3.4:99999", "1.2.3.4:", "[::1", "::1]", "01.2.3.4", "256.0.0.1",
            "1.2.3.4.5", "1.2.3.4:80:80", "host.example", "[1.2.3.4]", "[::1]x", "192.168.0.1:0", "172.16.0.1"};
        SplittableRandom random = new SplittableRandom(0x5eed_f0f0L);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder chain = new StringBuilder();
            int hops = random.nextInt(8);
            for (int h = 0; h < hops; h++) {
                chain.append(h == 0 ? "" : random.nextBoolean() ? ", " : ",").append(entries[random.nextInt(entries.length)]);
            }
            String header = chain.toString();
            for (String peer : PEERS) {
                assertArrayEquals(ListWalk.resolve(DEFAULT_TRUSTED, peer, header), XFF.resolveAddress(peer, null, header),
                        () -> peer + " with " + header);
            }
        }
        // 64 entries are read, blank ones not counted; the 65th from the right is never believed.
        String longChain = "198.51.100.1, 10.0.0.9, " + "10.0.0.3, , ".repeat(63) + "10.0.0.4";
        assertArrayEquals(new byte[] {10, 0, 0, 3}, XFF.resolveAddress("127.0.0.1", null, longChain));
        assertArrayEquals(ListWalk.resolve(DEFAULT_TRUSTED, "127.0.0.1", longChain),
                XFF.resolveAddress("127.0.0.1", null, longChain));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void ipAddressParsesToFourOrSixteenBytesAndFormatsBackToItself(String text) {
        byte[] address = assertDoesNotThrow(() -> IpAddress.parse(text));
        assertBoundedAddress(address);
        if (address != null) {
            String canonical = IpAddress.format(address);
            assertTrue(canonical.length() <= 45, canonical);
            assertEquals(canonical, IpAddress.format(IpAddress.parse(canonical)));
            String prefix = IpAddress.visitorPrefix(address);
            assertNotNull(prefix);
        }
        String canonical = assertDoesNotThrow(() -> IpAddress.canonical(text));
        assertTrue(canonical == null || canonical.equals(IpAddress.canonical(canonical)), canonical);
        assertEquals(canonical == null ? null : IpAddress.visitorPrefix(canonical), IpAddress.visitorPrefix(text));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void cidrParsesOrSaysWhyOnOneLine(String text) {
        Cidr cidr;
        try {
            cidr = Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            assertTrue(message.length() < 300, message);
            assertTrue(message.chars().noneMatch(c -> c < 0x20 || c == 0x7f), message);
            return;
        }
        String shown = cidr.toString();
        assertEquals(cidr, Cidr.parse(shown));
        assertTrue(cidr.prefixLength() >= 0 && cidr.prefixLength() <= 128, shown);
    }

    private static void assertBoundedAddress(byte[] address) {
        assertTrue(address == null || address.length == 4 || address.length == 16,
                () -> "an address has 4 or 16 bytes, not " + address.length);
    }
}
