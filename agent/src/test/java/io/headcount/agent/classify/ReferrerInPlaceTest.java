package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.headcount.testsupport.HostileInputs;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The referrer classifier reads the header where it stands; it must give every label that the
 * copying classifier it replaced gave ({@link CopyingReferrerClassifier}), for hostile text and for
 * referrers built from the parts that decide a label.
 */
class ReferrerInPlaceTest {
    private static final String[] HOSTS = {null, "", "shop.example", "Shop.Example:8443", "www.shop.example",
        "192.0.2.1", "192.0.2.1:80", "[2001:db8::1]", "[2001:DB8:0::1]:443", "bad host!", "example", "[::1]x", "[::1]:",
        "[::1]:99999", "[::1", "[::1]:_x"};

    static Stream<String> hostile() {
        return HostileInputs.strings(0x4ef_e44e_4L, 400).stream();
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostileTextGetsTheLabelTheCopyingClassifierGave(String text) {
        for (String host : HOSTS) {
            for (String referer : new String[] {text, "https://" + text, "//" + text, "https://" + text + "/x"}) {
                assertEquals(CopyingReferrerClassifier.classify(referer, host), ReferrerClassifier.classify(referer, host),
                        () -> referer + " on " + host);
            }
        }
    }

    @Test
    void builtReferrersGetTheLabelTheCopyingClassifierGave() {
        String[] leads = {"", " ", "\t", "https:", "https://", "HTTP://", "android-app://", "//", "1http://", "h+t.t-p://",
            "https:/", "mailto:", "about:blank", "a".repeat(70) + "://"};
        String[] users = {"", "user@", "user:pass@", "a@b@", "@"};
        String[] names = {"", "shop.example", "SHOP.Example", "www.shop.example", "WWW.SHOP.EXAMPLE", "www.", "www..", "www.x",
            "wWw.Google.com", "news.shop.example", "evilshop.example", "shop.example.", "shop.example..", ".shop.example",
            "192.0.2.1", "192.0.2.1.", "01.2.3.4", "1.192.0.2.1", "256.1.1.1", "1.2.3", "b\u00fccher.example",
            "xn--bcher-kva.example", "a_b.example", "-x.example", "a".repeat(63) + ".example", "a".repeat(64) + ".example",
            "a.".repeat(126) + "a", "a.".repeat(127), "[2001:db8::1]", "[::ffff:192.0.2.1]", "[192.0.2.1]", "[2001:db8::1",
            "[zz]", "[2001:db8::1]x", "example"};
        String[] ports = {"", ":", ":443", ":65535", ":65536", ":123456", ":x", "::1", ":44 3"};
        String[] tails = {"", "/", "/path?q=1", "?q", "#frag", "\\\\x", "/@evil.example", " ", "\t "};
        SplittableRandom random = new SplittableRandom(0x4ef_e44eL);
        for (int i = 0; i < 40_000; i++) {
            String referer = leads[random.nextInt(leads.length)] + users[random.nextInt(users.length)]
                    + names[random.nextInt(names.length)] + ports[random.nextInt(ports.length)]
                    + tails[random.nextInt(tails.length)];
            String host = HOSTS[random.nextInt(HOSTS.length)];
            assertEquals(CopyingReferrerClassifier.classify(referer, host), ReferrerClassifier.classify(referer, host),
                    () -> referer + " on " + host);
        }
    }

    /** Names of the characters a host name's rules are about, dashes and dots where they may not stand included. */
    @Test
    void namesOfLabelCharactersGetTheLabelTheCopyingClassifierGave() {
        char[] alphabet = {'a', 'Z', '0', '9', '-', '-', '.', '.', '_', '+', '@'};
        SplittableRandom random = new SplittableRandom(14);
        int named = 0;
        for (int i = 0; i < 40_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(12);
            for (int k = 0; k < length; k++) {
                name.append(alphabet[random.nextInt(alphabet.length)]);
            }
            if (random.nextInt(20) == 0) {
                name.insert(random.nextInt(name.length() + 1), "b".repeat(60 + random.nextInt(6)));
            }
            String referer = "https://" + name + "/x";
            String label = CopyingReferrerClassifier.classify(referer, "shop.example");
            assertEquals(label, ReferrerClassifier.classify(referer, "shop.example"), referer);
            named += label.equals(ReferrerClassifier.OTHER) ? 0 : 1;
        }
        assertEquals(3_356, named, "names given a label of their own, so that both answers were tried");
    }

    @Test
    void anInternalReferrerIsMatchedWhateverItsCase() {
        assertEquals("internal", ReferrerClassifier.classify("https://WWW.Shop.Example/cart", "shop.example"));
        assertEquals("internal", ReferrerClassifier.classify("https://News.SHOP.example:8443/", "www.shop.example"));
        assertEquals("evilshop.example", ReferrerClassifier.classify("https://EvilShop.example/", "shop.example"));
        assertEquals("google.com", ReferrerClassifier.classify(" https://user@WWW.Google.COM./search?q=1 ", null));
    }
}
