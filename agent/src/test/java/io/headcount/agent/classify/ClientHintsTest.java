package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Client hints over the User-Agent. The header sets are as Chrome, Edge and Opera send them (taken
 * from published request captures of those browsers: the reduced User-Agent beside the three
 * low-entropy hints, GREASE brand and all).
 */
class ClientHintsTest {
    private final UserAgentClassifier userAgents = new UserAgentClassifier();

    private static final String CHROME_WINDOWS_UA =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String CHROME_MAC_UA =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36";
    private static final String CHROME_LINUX_UA =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36";
    private static final String CHROME_ANDROID_UA =
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Mobile Safari/537.36";

    private String classify(String userAgent, String brands, String mobile, String platform) {
        return ClientHints.apply(userAgents.classify(userAgent), brands, mobile, platform).toString();
    }

    @Test
    void chromeOnWindowsMacLinuxAndAndroid() {
        assertEquals("browser/Chrome/Windows/desktop", classify(CHROME_WINDOWS_UA,
                "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"", "?0", "\"Windows\""));
        assertEquals("browser/Chrome/macOS/desktop", classify(CHROME_MAC_UA,
                "\"Google Chrome\";v=\"129\", \"Not=A?Brand\";v=\"8\", \"Chromium\";v=\"129\"", "?0", "\"macOS\""));
        assertEquals("browser/Chrome/Linux/desktop", classify(CHROME_LINUX_UA,
                "\"Not)A;Brand\";v=\"8\", \"Chromium\";v=\"138\", \"Google Chrome\";v=\"138\"", "?0", "\"Linux\""));
        assertEquals("browser/Chrome/Android/mobile", classify(CHROME_ANDROID_UA,
                "\"Chromium\";v=\"139\", \"Not;A=Brand\";v=\"99\"", "?1", "\"Android\""));
        assertEquals("browser/Chrome/Android/mobile", classify(
                "Mozilla/5.0 (Linux; Android 13; SM-G981B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36",
                "\"Google Chrome\";v=\"141\", \"Not?A_Brand\";v=\"8\", \"Chromium\";v=\"141\"", "?1", "\"Android\""));
    }

    @Test
    void edgeOnWindowsAndMac() {
        assertEquals("browser/Edge/Windows/desktop", classify(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36 Edg/143.0.0.0",
                "\"Microsoft Edge\";v=\"143\", \"Chromium\";v=\"143\", \"Not A(Brand\";v=\"24\"", "?0", "\"Windows\""));
        assertEquals("browser/Edge/macOS/desktop", classify(
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "\"Microsoft Edge\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"", "?0", "\"macOS\""));
        // The brand alone names Edge, where the User-Agent (an extension's, say) says Chrome.
        assertEquals("browser/Edge/Windows/desktop", classify(CHROME_WINDOWS_UA,
                "\"Chromium\";v=\"140\", \"Not=A?Brand\";v=\"24\", \"Microsoft Edge\";v=\"140\"", "?0", "\"Windows\""));
    }

    @Test
    void operaOnWindowsMacLinuxAndAndroid() {
        assertEquals("browser/Opera/Windows/desktop", classify(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Safari/537.36 OPR/117.0.0.0",
                "\"Not A(Brand\";v=\"8\", \"Chromium\";v=\"132\", \"Opera\";v=\"117\"", "?0", "\"Windows\""));
        assertEquals("browser/Opera/macOS/desktop", classify(
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
                "\"Chromium\";v=\"124\", \"Opera\";v=\"110\", \"Not-A.Brand\";v=\"99\"", "?0", "\"macOS\""));
        assertEquals("browser/Opera/Linux/desktop", classify(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 OPR/105.0.0.0",
                "\"Opera\";v=\"105\", \"Chromium\";v=\"119\", \"Not?A_Brand\";v=\"24\"", "?0", "\"Linux\""));
        assertEquals("browser/Opera/Android/mobile", classify(
                "Mozilla/5.0 (Linux; Android 7; M2004J193) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.193 Mobile Safari/537.36 OPR/79.2.4195.76518",
                "\"Chromium\";v=\"120\", \"Opera\";v=\"105\", \"OperaMobile\";v=\"79\", \";Not A Brand\";v=\"99\"", "?1", "\"Android\""));
    }

    @Test
    void theHintsDecideOverTheFrozenUserAgent() {
        // A tablet: Chrome says "not mobile" on Android.
        assertEquals("browser/Chrome/Android/tablet", classify(CHROME_ANDROID_UA,
                "\"Google Chrome\";v=\"139\", \"Chromium\";v=\"139\", \"Not;A=Brand\";v=\"99\"", "?0", "\"Android\""));
        // The platform hint is authoritative over the User-Agent's platform.
        assertEquals("browser/Chrome/ChromeOS/desktop", classify(CHROME_LINUX_UA,
                "\"Google Chrome\";v=\"138\", \"Chromium\";v=\"138\", \"Not)A;Brand\";v=\"8\"", "?0", "\"Chrome OS\""));
        assertEquals("browser/Chrome/Android/mobile", classify(CHROME_WINDOWS_UA,
                "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"", "?1", "\"Android\""));
        // Brave sends Chrome's User-Agent but its own brand: a browser the contract does not name.
        assertEquals("browser/unknown/Android/mobile", classify(CHROME_ANDROID_UA,
                "\"Chromium\";v=\"110\", \"Not A(Brand\";v=\"24\", \"Brave\";v=\"110\"", "?1", "\"Android\""));
        assertEquals("browser/Samsung Internet/Android/mobile", classify(CHROME_ANDROID_UA,
                "\"Chromium\";v=\"122\", \"Not(A:Brand\";v=\"24\", \"Samsung Internet\";v=\"25.0\"", "?1", "\"Android\""));
    }

    @Test
    void whatTheHintsDoNotSayTheUserAgentStillDoes() {
        UserAgentInfo chrome = userAgents.classify(CHROME_WINDOWS_UA);
        String brands = "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"";
        assertSame(chrome, ClientHints.apply(chrome, brands, "?0", "\"Windows\""));
        assertSame(chrome, ClientHints.apply(chrome, null, null, null));
        assertSame(chrome, ClientHints.apply(chrome, brands, null, "\"Unknown\""));
        // An app's WebView names the engine, not the browser.
        UserAgentInfo webView = userAgents.classify("Mozilla/5.0 (Linux; Android 11; TECNO KG5k Build/RP1A.201005.001; wv)"
                + " AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/142.0.7444.102 Mobile Safari/537.36");
        assertEquals(webView.browser, ClientHints.apply(webView,
                "\"Chromium\";v=\"142\", \"Android WebView\";v=\"142\", \"Not_A Brand\";v=\"99\"", "?1", "\"Android\"").browser);
        // Only GREASE: no browser named.
        assertNull(ClientHints.browser("\"Not_A Brand\";v=\"8\""));
        // A platform the contract does not name is still the platform.
        assertEquals("browser/Chrome/unknown/desktop", classify(CHROME_LINUX_UA,
                "\"Google Chrome\";v=\"138\"", "?0", "\"Fuchsia\""));
    }

    @Test
    void scriptsAndBotsKeepTheirClassWhateverHintsTheySend() {
        String brands = "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\"";
        assertEquals("script/curl/unknown/script", classify("curl/8.5.0", brands, "?1", "\"Android\""));
        assertEquals("bot/bot/unknown/bot", classify("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36"
                + " (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                brands, "?1", "\"Android\""));
    }

    @Test
    void aFieldThatDoesNotParseIsIgnoredWhole() {
        assertEquals("browser/Chrome/Windows/desktop", classify(CHROME_WINDOWS_UA,
                "\"Microsoft Edge\";v=\"131\", \"Chromium", "?1x", "Android"));
        assertNull(ClientHints.browser("\"Microsoft Edge\";v=\"131\","));                // trailing comma
        assertNull(ClientHints.browser("Microsoft Edge;v=131"));                          // tokens, not strings
        assertNull(ClientHints.browser("\"Microsoft Edge\";V=\"131\""));                  // upper-case key
        assertNull(ClientHints.browser("\"Opera\" \"Chromium\""));                        // no comma
        assertNull(ClientHints.browser("(\"Opera\" \"Chromium\")"));                      // an inner list
        assertNull(ClientHints.browser("\"Op\u00e9ra\";v=\"1\""));                        // not ASCII
        assertNull(ClientHints.browser("\"Opera\\x\";v=\"1\""));                          // a bad escape
        assertNull(ClientHints.browser("\"a\",".repeat(16) + "\"Opera\""));               // 17 brands
        assertEquals("Opera", ClientHints.browser("\"a\", ".repeat(15) + "\"Opera\""));   // 16 brands
        assertNull(ClientHints.os("Windows"));
        assertNull(ClientHints.os("\"Windows\" x"));
        assertNull(StructuredFields.bool("?2"));
        assertNull(StructuredFields.bool("1"));
    }

    @Test
    void structuredFieldsAreReadAsTheRfcWritesThem() {
        assertEquals(List.of("Opera", "Chromium"),
                StructuredFields.stringList("  \"Opera\";v=\"117\";full=?1;n=-1.25;t=a:b/c,\t\"Chromium\"  ", 16));
        assertEquals(List.of("say \"hi\" \\"), StructuredFields.stringList("\"say \\\"hi\\\" \\\\\"", 16));
        assertEquals(List.of(), StructuredFields.stringList("", 16));
        assertEquals(Boolean.TRUE, StructuredFields.bool(" ?1;x "));
        assertEquals(Boolean.FALSE, StructuredFields.bool("?0"));
        assertEquals("macOS", StructuredFields.string("\"macOS\""));
        assertNull(StructuredFields.stringList("\"a\";v=1234567890123456", 16)); // 16 integer digits
    }

    @Test
    void greaseBrandsInEveryShapeChromiumHasSent() {
        for (String grease : List.of("Not_A Brand", "Not)A;Brand", "Not A(Brand", "Not/A)Brand", "Not:A-Brand",
                "Not.A/Brand", "Not?A_Brand", "Not=A?Brand", "Not;A=Brand", "Not-A.Brand", "Not(A:Brand",
                " Not A;Brand", ";Not A Brand", " Not;A Brand")) {
            assertTrue(ClientHints.isGrease(grease), grease);
        }
        assertEquals(false, ClientHints.isGrease("Brave"));
        assertEquals(false, ClientHints.isGrease("Not A Browser Brand"));
    }
}
