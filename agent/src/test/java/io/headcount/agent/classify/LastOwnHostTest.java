package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LastOwnHostTest {
    @Test
    void givesTheHostOfEachHeaderAsItChanges() {
        LastOwnHost own = new LastOwnHost();
        assertEquals("shop.example.com", own.of("WWW.Shop.Example.com:8443"));
        assertEquals("shop.example.com", own.of(new String("WWW.Shop.Example.com:8443")));
        assertEquals("other.example", own.of(" other.example "));
        assertNull(own.of(null));
        assertEquals("other.example", own.of(" other.example "));
        assertNull(own.of("not a host"));
        assertEquals("[2001:db8::1]", own.of("[2001:0db8::1]:80"));
        assertEquals("shop.example.com", own.of("shop.example.com"));
    }

    @Test
    void classifyingAgainstTheOwnHostAnswersAsClassify() {
        String[] hosts = {null, "", "shop.example.com", "shop.example.com:8080", "www.shop.example.com", "10.0.0.1",
            "[::1]:8080", "bad host", "example.com."};
        String[] referers = {null, "", "  ", "https://shop.example.com/cart", "https://m.shop.example.com/",
            "https://www.google.com/search?q=x", "//shop.example.com/a", "https://10.0.0.1/", "https://2.10.0.0.1/",
            "ftp://user@EXAMPLE.com:21/x", "not a url", "https://[::1]:8080/", "https://example.com./"};
        int internal = 0;
        for (String host : hosts) {
            LastOwnHost own = new LastOwnHost();
            for (String referer : referers) {
                String expected = ReferrerClassifier.classify(referer, host);
                internal += expected.equals(ReferrerClassifier.INTERNAL) ? 1 : 0;
                assertEquals(expected, ReferrerClassifier.classifyAgainst(referer, own.of(host)), host + " " + referer);
            }
        }
        assertEquals(16, internal); // 9 under shop.example.com, 1 each under 10.0.0.1 and [::1], 5 under example.com.
    }
}
