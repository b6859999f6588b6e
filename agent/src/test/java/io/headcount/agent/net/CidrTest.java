package io.headcount.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    @Test
    void containsIpv4AnswersAsContainsForEveryKindOfBlock() {
        String[] blocks = {"10.0.0.0/8", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8", "100.64.0.0/10",
            "172.16.0.0/12", "0.0.0.0/0", "203.0.113.7", "203.0.113.0/31", "128.0.0.0/1", "::1", "fc00::/7",
            "fe80::/10", "::/0", "::ffff:0:0/96", "::ffff:10.0.0.0/104", "::ffff:192.0.2.1", "::ffff:0:0/95",
            "2001:db8::/32"};
        java.util.Random random = new java.util.Random(11);
        int inside = 0;
        for (String text : blocks) {
            Cidr cidr = Cidr.parse(text);
            for (int n = 0; n < 20_000; n++) {
                byte[] address = new byte[4];
                random.nextBytes(address);
                if (n % 4 == 0) { // near the block's own network
                    byte[] network = IpAddress.parse(text.contains("/") ? text.substring(0, text.indexOf('/')) : text);
                    System.arraycopy(network, network.length - 4, address, 0, 3);
                }
                boolean expected = cidr.contains(address);
                inside += expected ? 1 : 0;
                assertEquals(expected, cidr.containsIpv4(Cidr.ipv4(address, 0)), text + " " + IpAddress.format(address));
            }
        }
        assertEquals(87_816, inside); // what contains answers: the blocks are hit, not only missed
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "10.1.2.3/8, 10.0.0.0/8",
        "127.0.0.1, 127.0.0.1/32",
        " 192.168.1.0/24 , 192.168.1.0/24",
        "0.0.0.0/0, 0.0.0.0/0",
        "::1, ::1/128",
        "2001:DB8::/32, 2001:db8::/32",
        "2001:db8:1:2:3:4:5:6/64, 2001:db8:1:2::/64",
        "[::1]/128, ::1/128",
        "172.16.0.0/12, 172.16.0.0/12",
        "10.255.255.255/9, 10.128.0.0/9",
    })
    void parsesAndPrintsCanonically(String text, String canonical) {
        assertEquals(canonical, Cidr.parse(text).toString());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "/8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/+8",
        "10.0.0.0/8/8", "10.0.0.0/0x8", "10.0.0/8", "localhost/8", "example.com", "10.0.0.0 /8", "10.0.0.0/ 8",
        "10.0.0.0/0008", "10.0.0.0/８"})
    void rejectsWhatIsNotACidrWithALoggableMessage(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
        assertTrue(e.getMessage().contains("CIDR"), e.getMessage());
    }

    @Test
    void errorMessageNamesTheValueWithoutControlCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("bad\nvalue"));
        assertEquals("not a CIDR: 'bad?value' (expected an IPv4 or IPv6 address, optionally followed by"
                + " /prefix-length, such as 10.0.0.0/8 or 2001:db8::/32; host names are not allowed)", e.getMessage());
    }

    @Test
    void containsAddressesInsideThePrefixOnly() {
        Cidr block = Cidr.parse("192.168.4.0/22");
        assertTrue(block.contains(IpAddress.parse("192.168.4.0")));
        assertTrue(block.contains(IpAddress.parse("192.168.7.255")));
        assertFalse(block.contains(IpAddress.parse("192.168.8.0")));
        assertFalse(block.contains(IpAddress.parse("192.168.3.255")));
        assertFalse(block.contains(null));
        assertFalse(block.contains(new byte[3]));
    }

    @Test
    void zeroLengthPrefixHoldsItsWholeFamilyOnly() {
        assertTrue(Cidr.parse("0.0.0.0/0").contains(IpAddress.parse("203.0.113.9")));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(IpAddress.parse("2001:db8::1")));
        assertTrue(Cidr.parse("::/0").contains(IpAddress.parse("2001:db8::1")));
        assertFalse(Cidr.parse("::/0").contains(IpAddress.parse("203.0.113.9")), "::/0 must not trust all of IPv4");
    }

    @Test
    void ipv4BlocksHoldTheirIpv4MappedForms() {
        assertTrue(Cidr.parse("127.0.0.0/8").contains(IpAddress.parse("::ffff:127.0.0.1")));
        assertFalse(Cidr.parse("127.0.0.0/8").contains(IpAddress.parse("::ffff:128.0.0.1")));
        assertTrue(Cidr.parse("::ffff:10.0.0.0/104").contains(IpAddress.parse("10.1.2.3")));
        assertFalse(Cidr.parse("::ffff:10.0.0.0/104").contains(IpAddress.parse("11.1.2.3")));
    }

    @Test
    void ipv6PrefixesCutInsideAByte() {
        Cidr block = Cidr.parse("2001:db8:abcd:0012::/63");
        assertTrue(block.contains(IpAddress.parse("2001:db8:abcd:13::1")));
        assertFalse(block.contains(IpAddress.parse("2001:db8:abcd:14::1")));
        assertTrue(Cidr.parse("::1").contains(IpAddress.parse("::1")));
        assertFalse(Cidr.parse("::1").contains(IpAddress.parse("::2")));
    }

    @Test
    void equalBlocksAreEqual() {
        assertEquals(Cidr.parse("10.1.2.3/8"), Cidr.parse("10.0.0.0/8"));
        assertEquals(Cidr.parse("10.1.2.3/8").hashCode(), Cidr.parse("10.0.0.0/8").hashCode());
        assertNotEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.0.0.0/9"));
        assertEquals(8, Cidr.parse("10.0.0.0/8").prefixLength());
    }
}
