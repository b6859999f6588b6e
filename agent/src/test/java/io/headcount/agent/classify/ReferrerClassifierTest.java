package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReferrerClassifierTest {
    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t"})
    void noRefererIsDirect(String referer) {
        assertEquals("direct", ReferrerClassifier.classify(referer, "shop.example"));
    }

    @ParameterizedTest
    @CsvSource({
        "https://shop.example/cart, shop.example",
        "https://shop.example:8443/cart, shop.example",
        "http://SHOP.Example/, shop.example:8080",
        "https://www.shop.example/a?b=c, shop.example",
        "https://shop.example/a, www.shop.example",
        "https://blog.shop.example/post/1, shop.example",
        "https://a.b.shop.example, Shop.Example:443",
        "https://shop.example./x, shop.example",
        "http://[2001:db8::1]:8080/x, [2001:DB8::1]:8080",
        "http://192.0.2.1/x, 192.0.2.1:8080",
    })
    void sameHostOrASubdomainIsInternal(String referer, String host) {
        assertEquals("internal", ReferrerClassifier.classify(referer, host));
    }

    @ParameterizedTest
    @CsvSource({
        "https://www.google.com/, google.com",
        "https://WWW.Google.COM/search?q=private, google.com",
        "https://news.ycombinator.com/item?id=1, news.ycombinator.com",
        "http://user:secret@mail.example.org:8080/inbox, mail.example.org",
        "http://shop.example@evil.example/, evil.example",
        "//cdn.example.net/lib.js, cdn.example.net",
        "android-app://com.google.android.gm/, com.google.android.gm",
        "android-app://com.slack, com.slack",
        "https://example.com#frag, example.com",
        "https://example.com?x, example.com",
        "https://example.com\\\\path, example.com",
        "https://xn--bcher-kva.example/, xn--bcher-kva.example",
        "https://www.example.com./, example.com",
        "https://example.com:443/, example.com",
        "https://notshop.example/, notshop.example",
        "https://shop.example.evil.example/, shop.example.evil.example",
        "https://www/, www",
    })
    void externalHostIsLowerCasedWithoutWww(String referer, String label) {
        assertEquals(label, ReferrerClassifier.classify(referer, "shop.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "about:blank", "data:text/html,hello", "javascript:alert(1)", "example.com/path", "/relative/path",
        "https://", "https:///path", "http://:80/", "https://exa mple.com/", "https://exa_mple.com/",
        "https://bücher.example/", "https://example..com/", "https://.example.com/", "https://example.com:abc/",
        "https://example.com:99999/", "https://example.com:123456/", "http://[::1/", "http://[zzz]/", "http://[1.2.3.4]/",
        "http://999.1.1.1/", "http://1.2.3/", "https://%65xample.com/", "https://example.com\u0000/",
        "1https://example.com/", "ht tp://example.com/", "-://example.com", "https://[::1]x/",
        // Labels that start or end with '-' (RFC 1123), and hosts spelled as the label's own values.
        "https://-/", "https://-.-/", "https://m-/", "https://-m.example/", "https://a.m-.example/",
        "https://direct/", "https://www.internal./", "https://OTHER/", "//direct:8080/x",
        // Two trailing dots: an empty last label, neither the site's own host nor another's.
        "https://evil.example../", "https://shop.example../", "https://www.shop.example../x",
    })
    void refererWithoutAUsableHostIsOther(String referer) {
        assertEquals("other", ReferrerClassifier.classify(referer, "shop.example"));
    }

    @Test
    void overlongHostsAreOther() {
        String label = "a".repeat(63);
        String host253 = String.join(".", label, label, label, "a".repeat(61));
        assertEquals(253, host253.length());
        assertEquals(host253, ReferrerClassifier.classify("https://" + host253 + "/", null));
        assertEquals("other", ReferrerClassifier.classify("https://" + host253 + "a/", null));
        assertEquals("other", ReferrerClassifier.classify("https://" + "a".repeat(64) + ".example/", null));
        assertEquals("other", ReferrerClassifier.classify("https://" + "a.".repeat(600), null));
    }

    @Test
    void unusableRequestHostMeansNothingIsInternal() {
        assertEquals("shop.example", ReferrerClassifier.classify("https://shop.example/", null));
        assertEquals("shop.example", ReferrerClassifier.classify("https://shop.example/", ""));
        assertEquals("shop.example", ReferrerClassifier.classify("https://shop.example/", "bad host!"));
    }

    /** Only a domain name is a label: an address can be a person's own machine (PRIVACY.md). */
    @ParameterizedTest
    @ValueSource(strings = {
        "http://192.0.2.44/", "http://192.0.2.44:8080/private?q=1", "http://[2001:DB8:0::1]:81/",
        "http://[2001:db8:1234:5678:9abc:def0:1234:5678]/p", "http://[fe80::1%25eth0]/", "http://[::ffff:192.0.2.1]/",
        "http://www.192.0.2.44/", "http://x.127.0.0.1/", "http://0xc0.0xa8.0.1/", "http://example.0x7F/",
        "http://example.1/", "http://1.2.3/", "http://3232235777/",
    })
    void externalAddressesAreOther(String referer) {
        assertEquals("other", ReferrerClassifier.classify(referer, "shop.example"));
    }

    @ParameterizedTest
    @CsvSource({
        "http://example.0xg/, example.0xg",
        "http://a1.example/, a1.example",
        "http://example.1a/, example.1a",
        "http://0x.example/, 0x.example",
    })
    void namesWithNumbersBeforeTheLastLabelAreKept(String referer, String label) {
        assertEquals(label, ReferrerClassifier.classify(referer, "shop.example"));
    }

    @Test
    void ipHostsHaveNoSubdomains() {
        assertEquals("other", ReferrerClassifier.classify("http://1.192.0.2.1/", "192.0.2.1"));
    }
}
