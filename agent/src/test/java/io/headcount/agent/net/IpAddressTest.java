package io.headcount.agent.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {
    @Test
    void parsesDottedQuads() {
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 1}, IpAddress.parse("192.0.2.1"));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, IpAddress.parse("0.0.0.0"));
        assertArrayEquals(new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255}, IpAddress.parse("255.255.255.255"));
    }

    @Test
    void parsesIpv6InEveryTextForm() {
        byte[] loopback = new byte[16];
        loopback[15] = 1;
        assertArrayEquals(loopback, IpAddress.parse("::1"));
        assertArrayEquals(loopback, IpAddress.parse("0:0:0:0:0:0:0:1"));
        assertArrayEquals(loopback, IpAddress.parse("[::1]"));
        assertArrayEquals(new byte[16], IpAddress.parse("::"));
        assertArrayEquals(bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), IpAddress.parse("2001:db8::"));
        assertArrayEquals(bytes(0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6),
                IpAddress.parse("2001:DB8:1:2:3:4:5:6"));
        assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1), IpAddress.parse("::ffff:192.0.2.1"));
        assertArrayEquals(bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 1),
                IpAddress.parse("2001:db8::192.0.2.1"));
        assertArrayEquals(bytes(0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0), IpAddress.parse("1:2:3:4:5:6:7::"));
    }

    @Test
    void dropsZoneIdsAndBrackets() {
        assertEquals("fe80::1", IpAddress.canonical("fe80::1%eth0"));
        assertEquals("fe80::1", IpAddress.canonical("[fe80::1%25en0]"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "01.2.3.4", "1.2.3.04",
        "1.2.3.4 ", " 1.2.3.4", "1..2.3", "1.2.3.", "0x7f.0.0.1", "2130706433", "1.2.3.4:80", "[1.2.3.4]",
        ":", ":::", "1:::2", "::1::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", ":1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:", "1:2:3:4:5:6:7:8::", "g::1", "::ffff:1.2.3", "::ffff:1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4",
        "[::1", "::1]", "[]", "::1%", "1.2.3.4%eth0", "\u0661.2.3.4", "\uff11.2.3.4", "::\uff11", "1.2.3.4\u0000",
        "unknown", "_hidden", "1.2.3.1000", "1.2.3.0255", "1.2.3.999999999", ".1.2.3", "1.2.3.4.", "1.2..3.4",
        "1/2.3.4", "1:2.3.4", "::ffff:1.2.3.0256"
    })
    void rejectsEverythingThatIsNotAnIpLiteral(String text) {
        assertNull(IpAddress.parse(text));
        assertNull(IpAddress.canonical(text));
    }

    /** Every text of digits and dots up to 16 long, against the rule read off a regular expression. */
    @Test
    void readsDigitsAndDotsAsDottedQuadsExactlyWhenTheRuleSaysSo() {
        SplittableRandom random = new SplittableRandom(14);
        java.util.regex.Pattern quad = java.util.regex.Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
        int quads = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(16);
            for (int i = 0; i < length; i++) {
                text.append(random.nextInt(4) == 0 ? '.' : (char) ('0' + random.nextInt(random.nextBoolean() ? 3 : 10)));
            }
            String s = text.toString();
            byte[] expected = null;
            if (quad.matcher(s).matches()) {
                String[] parts = s.split("\\.");
                expected = new byte[4];
                for (int p = 0; p < 4 && expected != null; p++) {
                    int value = Integer.parseInt(parts[p]);
                    expected = value > 255 ? null : expected;
                    if (expected != null) {
                        expected[p] = (byte) value;
                    }
                }
            }
            quads += expected == null ? 0 : 1;
            assertArrayEquals(expected, IpAddress.parse(s), s);
        }
        assertEquals(681, quads, "texts that are dotted quads, so that both answers were tried");
    }

    @Test
    void rejectsHugeInputWithoutLookingAtIt() {
        assertNull(IpAddress.parse("1".repeat(10_000)));
        assertNull(IpAddress.parse("::" + "1:".repeat(5000)));
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1, 192.0.2.1",
        "::1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
        "[2001:db8::a], 2001:db8::a",
        "::ffff:192.0.2.1, 192.0.2.1",
        "::ffff:c000:201, 192.0.2.1",
        "::192.0.2.1, ::c000:201",
    })
    void canonicalTextFollowsRfc5952AndUnmapsIpv4(String text, String canonical) {
        assertEquals(canonical, IpAddress.canonical(text));
    }

    @Test
    void formatWritesEveryIpv4ByteValueAsTheJdkDoes() throws Exception {
        for (int b = 0; b < 256; b++) {
            byte[][] addresses = {{(byte) b, 0, 0, 0}, {1, (byte) b, 2, 3}, {9, 99, (byte) b, 100}, {(byte) 255, 10, 1, (byte) b}};
            for (byte[] address : addresses) {
                String jdk = java.net.InetAddress.getByAddress(address).getHostAddress();
                assertEquals(jdk, IpAddress.format(address));
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(address, 0, mapped, 12, 4);
                assertEquals("::ffff:" + jdk, IpAddress.format(mapped));
            }
        }
    }

    @Test
    void formatKeepsIpv4MappedInMixedNotation() {
        assertEquals("::ffff:192.0.2.1", IpAddress.format(IpAddress.parse("::ffff:192.0.2.1")));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.format(new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> IpAddress.format(null));
    }

    @ParameterizedTest
    @CsvSource({
        "203.0.113.7, 203.0.113.7",
        "2001:db8:1:2:3:4:5:6, 2001:db8:1:2::/64",
        "2001:db8:1:2::, 2001:db8:1:2::/64",
        "2001:db8::1, 2001:db8::/64",
        "::1, ::/64",
        "fe80::1%eth0, fe80::/64",
        "::ffff:203.0.113.7, 203.0.113.7",
        "[2001:db8:aaaa:bbbb:cccc::1], 2001:db8:aaaa:bbbb::/64",
    })
    void visitorPrefixKeepsIpv4AndCutsIpv6ToItsSlash64(String ip, String prefix) {
        assertEquals(prefix, IpAddress.visitorPrefix(ip));
    }

    @Test
    void visitorPrefixOfNothingOrGarbageIsNull() {
        assertNull(IpAddress.visitorPrefix((String) null));
        assertNull(IpAddress.visitorPrefix("not an address"));
    }

    @Test
    void privacyAddressesInOneSlash64ShareAPrefix() {
        assertEquals(IpAddress.visitorPrefix("2001:db8:1:2:a1b2:c3d4:e5f6:789"),
                IpAddress.visitorPrefix("2001:db8:1:2:1111:2222:3333:4444"));
        assertTrue(!IpAddress.visitorPrefix("2001:db8:1:2::1").equals(IpAddress.visitorPrefix("2001:db8:1:3::1")));
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void theVisitorPrefixOfAnyIpv6AddressIsItsSlash64AsTheGeneralFormatterWritesIt() {
        SplittableRandom random = new SplittableRandom(64);
        for (int i = 0; i < 200_000; i++) {
            byte[] address = new byte[16];
            for (int b = 0; b < 16; b++) {
                // Mostly zero bytes, so that every pattern of zero groups comes up.
                address[b] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : 0;
            }
            if (IpAddress.isIpv4Mapped(address)) {
                continue;
            }
            assertEquals(IpAddress.network(address, 64), IpAddress.visitorPrefix(address), Arrays.toString(address));
        }
        assertEquals("::/64", IpAddress.visitorPrefix(new byte[16]));
        assertEquals("0:0:0:1::/64", IpAddress.visitorPrefix(IpAddress.parse("0:0:0:1:ffff::1")));
        assertEquals("2001:db8::/64", IpAddress.visitorPrefix(IpAddress.parse("2001:db8:0:0:1:2:3:4")));
        assertEquals("2001:db8:0:a::/64", IpAddress.visitorPrefix(IpAddress.parse("2001:0db8:0000:000a:1::")));
        assertEquals("fe80::/64", IpAddress.visitorPrefix(IpAddress.parse("fe80::1")));
    }

    @Test
    void visitorBytesAreWhatTheVisitorPrefixWrites() {
        byte[] v4 = IpAddress.parse("203.0.113.7");
        assertSame(v4, IpAddress.visitorBytes(v4));
        assertArrayEquals(v4, IpAddress.visitorBytes(IpAddress.parse("::ffff:203.0.113.7")));
        byte[] v6 = IpAddress.parse("2001:db8:1:2:3:4:5:6");
        byte[] network = IpAddress.visitorBytes(v6);
        assertArrayEquals(IpAddress.parse("2001:db8:1:2::"), network);
        assertEquals("2001:db8:1:2::/64", IpAddress.visitorPrefix(network));
        assertArrayEquals(IpAddress.parse("2001:db8:1:2:3:4:5:6"), v6);
        assertNull(IpAddress.visitorBytes(null));
    }
}
