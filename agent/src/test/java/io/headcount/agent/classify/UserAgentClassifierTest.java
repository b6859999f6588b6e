package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Exact classifications, one "client/browser/os/device <- User-Agent" per case. */
class UserAgentClassifierTest {
    private static final Set<String> BROWSERS = Set.of(
            "Chrome", "Firefox", "Safari", "Edge", "Opera", "Samsung Internet", "Internet Explorer", "unknown");
    private static final Set<String> SYSTEMS = Set.of(
            "Windows", "macOS", "Linux", "Android", "iOS", "ChromeOS", "unknown");
    private static final Set<String> DEVICES = Set.of("desktop", "mobile", "tablet", "bot", "script", "unknown");

    private final UserAgentClassifier classifier = new UserAgentClassifier();

    static Stream<String> contractBrowsers() {
        return Stream.of(
            "browser/Chrome/Windows/desktop <- Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            "browser/Chrome/macOS/desktop <- Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            "browser/Chrome/Android/mobile <- Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
            "browser/Chrome/Android/tablet <- Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            "browser/Chrome/iOS/mobile <- Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
            "browser/Safari/iOS/mobile <- Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
            "browser/Safari/iOS/tablet <- Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
            "browser/Safari/macOS/desktop <- Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
            "browser/Firefox/Linux/desktop <- Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
            "browser/Firefox/Windows/desktop <- Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "browser/Firefox/Android/mobile <- Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0",
            "browser/Firefox/iOS/mobile <- Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/120.0 Mobile/15E148 Safari/605.1.15",
            "browser/Edge/Windows/desktop <- Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
            "browser/Edge/Android/mobile <- Mozilla/5.0 (Linux; Android 10; HD1913) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.116 Mobile Safari/537.36 EdgA/120.0.2210.84",
            "browser/Opera/Windows/desktop <- Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0",
            "browser/Opera/unknown/mobile <- Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto/2.5.25 Version/10.54",
            "browser/Samsung Internet/Android/mobile <- Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
            "browser/Internet Explorer/Windows/desktop <- Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
            "browser/Internet Explorer/Windows/desktop <- Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)",
            "browser/Chrome/ChromeOS/desktop <- Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            "browser/Chrome/Android/mobile <- Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36 wv",
            "browser/Safari/iOS/mobile <- Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/443.0.0.0]",
            "browser/Edge/Windows/mobile <- Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.14977",
            "browser/Chrome/Android/mobile <- Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
            "browser/Chrome/Android/mobile <- Mozilla/5.0 (Linux; Android 4.2.2; HTC Butterfly s Build/JDQ39) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/29.0.1547.72 Mobile Safari/537.36",
            "browser/Firefox/unknown/mobile <- Mozilla/5.0 (Mobile; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5",
            "browser/Chrome/Linux/desktop <- Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36");
    }

    static Stream<String> browsersTheContractDoesNotName() {
        return Stream.of(
            "browser/unknown/Windows/desktop <- Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 YaBrowser/24.1.0.0 Safari/537.36",
            "browser/unknown/Android/mobile <- Mozilla/5.0 (Linux; U; Android 4.0.3; ko-kr; LG-L160L Build/IML74K) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30",
            "browser/unknown/Linux/desktop <- Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Vivaldi/6.5");
    }

    static Stream<String> bots() {
        return Stream.of(
            "bot/bot/unknown/bot <- Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "bot/bot/unknown/bot <- Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.129 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "bot/bot/unknown/bot <- Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "bot/bot/unknown/bot <- Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)",
            "bot/bot/unknown/bot <- Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
            "bot/bot/unknown/bot <- facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "bot/bot/unknown/bot <- Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
            "bot/bot/unknown/bot <- Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "bot/bot/unknown/bot <- kube-probe/1.27",
            "bot/bot/unknown/bot <- ELB-HealthChecker/2.0",
            "bot/bot/unknown/bot <- GoogleHC/1.0",
            "bot/bot/unknown/bot <- Mozilla/5.0 (compatible; MyCrawler/1.0)",
            "bot/bot/unknown/bot <- Scrapy/2.11.0 (+https://scrapy.org)",
            "bot/bot/unknown/bot <- LinkedInBot/1.0 (compatible; Mozilla/5.0; Jakarta Commons-HttpClient/3.1 +http://www.linkedin.com)",
            "bot/bot/unknown/bot <- Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Lighthouse");
    }

    static Stream<String> scripts() {
        return Stream.of(
            "script/curl/unknown/script <- curl/8.4.0",
            "script/wget/unknown/script <- Wget/1.21.4",
            "script/python-requests/unknown/script <- python-requests/2.31.0",
            "script/python-urllib/unknown/script <- Python-urllib/3.11",
            "script/aiohttp/unknown/script <- Python/3.11 aiohttp/3.9.1",
            "script/httpx/unknown/script <- python-httpx/0.25.2",
            "script/Go-http-client/unknown/script <- Go-http-client/1.1",
            "script/Go-http-client/unknown/script <- Go-http-client/2.0",
            "script/Java-http-client/unknown/script <- Java-http-client/17.0.9",
            "script/Java/unknown/script <- Java/1.8.0_392",
            "script/okhttp/unknown/script <- okhttp/4.12.0",
            "script/Apache-HttpClient/unknown/script <- Apache-HttpClient/4.5.14 (Java/17.0.9)",
            "script/Apache-HttpClient/unknown/script <- Apache-HttpClient/5.2.1 (Java/17.0.9)",
            "script/node-fetch/unknown/script <- node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
            "script/axios/unknown/script <- axios/1.6.2",
            "script/node/unknown/script <- node",
            "script/undici/unknown/script <- undici",
            "script/PostmanRuntime/unknown/script <- PostmanRuntime/7.36.0",
            "script/HTTPie/unknown/script <- HTTPie/3.2.2",
            "script/libwww-perl/unknown/script <- libwww-perl/6.72",
            "script/PowerShell/Windows/script <- Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.22621.2506",
            "script/Dalvik/Android/script <- Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230901.001)",
            "script/CFNetwork/iOS/script <- MyApp/1.2 CFNetwork/1474 Darwin/23.0.0",
            "script/k6/unknown/script <- k6/0.48.0 (https://k6.io/)");
    }

    static Stream<String> unknownClients() {
        return Stream.of(
            "unknown/unknown/unknown/unknown <- Mozilla/5.0",
            "unknown/unknown/unknown/unknown <- hello",
            "unknown/unknown/Windows/desktop <- Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
            "unknown/unknown/unknown/unknown <- ACER-E200");
    }

    @ParameterizedTest
    @MethodSource("contractBrowsers")
    void contractBrowsersAreNamedWithTheirSystemAndDevice(String testCase) {
        assertClassifies(testCase);
    }

    @ParameterizedTest
    @MethodSource("browsersTheContractDoesNotName")
    void otherBrowsersAreBrowsersOfUnknownName(String testCase) {
        assertClassifies(testCase);
    }

    @ParameterizedTest
    @MethodSource("bots")
    void botsAreBotsWithoutTheirClaimedSystem(String testCase) {
        assertClassifies(testCase);
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void scriptsAreNamedByTheirTool(String testCase) {
        assertClassifies(testCase);
    }

    @ParameterizedTest
    @MethodSource("unknownClients")
    void clientsWithoutABrowserOrToolAreUnknown(String testCase) {
        assertClassifies(testCase);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t\n", "-", "\u0000\u0001\u0002", "\u00e9t\u00e9 \u65e5\u672c\u8a9e", "\ud83d\ude00",
        "()", "Mozilla/5.0", "Mozilla/5.0 ()", ";;;;", "%00%0A"})
    void missingBlankAndGarbageAreUnknown(String userAgent) {
        assertEquals("unknown/unknown/unknown/unknown", classifier.classify(userAgent).toString());
    }

    @Test
    void contractExamplesOfScriptsKeepTheirSpelling() {
        assertEquals("curl", classifier.classify("curl/7.88.1").browser);
        assertEquals("wget", classifier.classify("Wget/1.21.3").browser);
        assertEquals("python-requests", classifier.classify("python-requests/2.28.1").browser);
        assertEquals("Go-http-client", classifier.classify("Go-http-client/1.1").browser);
        assertEquals("Java-http-client", classifier.classify("Java-http-client/21.0.1").browser);
        assertEquals("okhttp", classifier.classify("okhttp/3.14.9").browser);
    }

    @Test
    void toolNamedFirstIsAScriptEvenThoughTheCrawlerListNamesIt() {
        // curl, wget, python-requests, okhttp, axios and Go-http-client are all in crawler-user-agents.
        assertEquals("script/curl/unknown/script", classifier.classify("curl/8.4.0").toString());
        assertEquals("script/axios/unknown/script", classifier.classify("axios/1.6.2").toString());
    }

    @Test
    void botNamedBeforeTheLibraryItUsesIsABot() {
        assertEquals("bot/bot/unknown/bot",
                classifier.classify("ExampleBot/2.0 python-requests/2.31.0").toString());
        assertEquals("script/python-requests/unknown/script",
                classifier.classify("python-requests/2.31.0 ExampleBot/2.0").toString());
    }

    @Test
    void toolNamesMustBeWholeWords() {
        assertEquals("unknown", classifier.classify("libcurlish/1.0").browser);
        assertEquals("unknown", classifier.classify("Mozilla/5.0 (Java; U; en-us; nokia201)").client);
        assertEquals("script/okhttp/unknown/script", classifier.classify("okhttp3/3.0").toString());
    }

    @Test
    void safarisOwnHelperFetchesAreSafari() {
        assertEquals("browser/Safari/iOS/mobile",
                classifier.classify("MobileSafari/8612.1.15 CFNetwork/1474 Darwin/23.0.0").toString());
    }

    @Test
    void operaIsNotFoundInsideOtherWords() {
        assertEquals("Internet Explorer", classifier.classify(
                "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; Consorzio Operativo Gruppo MPS)").browser);
    }

    @Test
    void kaiOsIsNotIos() {
        assertEquals("unknown", classifier.classify("Mozilla/5.0 (Mobile; rv:48.0) Gecko/48.0 Firefox/48.0 KaiOS/2.5").os);
        assertEquals("iOS", classifier.classify("Deezer/4.8.2 (iOS; 7.1; Mobile; de)").os);
    }

    @Test
    void darwinIsMacOnIntelAndIosOtherwise() {
        assertEquals("macOS", classifier.classify("Box/1.2.93;Darwin/10.13;i386/64bit").os);
        assertEquals("iOS", classifier.classify("App/1.0.0 CFNetwork/978.0.7 Darwin/18.5.0").os);
        assertEquals("macOS", classifier.classify("Safari/7536.30.1 CFNetwork/520.5.1 Darwin/11.4.2 (i386) (MacBook3,1)").os);
    }

    @Test
    void tabletPcIsNotATablet() {
        assertEquals("desktop", classifier.classify(
                "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; Tablet PC 2.0)").device);
    }

    @Test
    void onlyTheFirst1024CharactersAreRead() {
        String padding = "x".repeat(UserAgentClassifier.MAX_LENGTH);
        assertEquals("unknown/unknown/unknown/unknown", classifier.classify(padding + " Googlebot/2.1").toString());
        assertEquals("bot/bot/unknown/bot", classifier.classify("Googlebot/2.1 " + padding).toString());
    }

    /** No timing assertion: this pins that hostile 1024-character inputs return, with valid labels. */
    @Test
    void adversarialLongInputsReturnValidLabels() {
        List<String> hostile = List.of(
                "a".repeat(1024), "(".repeat(1024), "\\".repeat(1024), "Spider".repeat(171),
                "ContextualBot".repeat(78), "Current ".repeat(128), "BlogTraffic/1.".repeat(73),
                "AdsBot-Google".repeat(78) + "-", "Mozilla/5.0 (".repeat(78), "Opera".repeat(204),
                "iOS".repeat(341), "Chrome/".repeat(146), "\u0000\uffff".repeat(512), "bot".repeat(341),
                "\ud835\udd18".repeat(512), "+http".repeat(204), "A".repeat(100_000));
        for (String userAgent : hostile) {
            UserAgentInfo info = classifier.classify(userAgent);
            assertNotNull(info);
            assertTrue(BROWSERS.contains(info.browser) || info.browser.equals("bot"), info.toString());
            assertTrue(SYSTEMS.contains(info.os), info.toString());
            assertTrue(DEVICES.contains(info.device), info.toString());
        }
    }

    @Test
    void sameInputGivesTheSameAnswerFromManyThreads() throws InterruptedException {
        String userAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
                + " (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
        String[] seen = new String[8];
        Thread[] threads = new Thread[seen.length];
        for (int t = 0; t < threads.length; t++) {
            int index = t;
            threads[t] = new Thread(() -> {
                String last = null;
                for (int i = 0; i < 2000; i++) {
                    last = new UserAgentClassifier().classify(userAgent).toString();
                }
                seen[index] = last;
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (String result : seen) {
            assertEquals("browser/Safari/iOS/mobile", result);
        }
    }

    @Test
    void lowerCasingFoldsAsciiOnlySoIndexesStayComparable() {
        assertEquals("curl/8 \u0130x", UserAgentClassifier.asciiLowerCase("CURL/8 \u0130X"));
        assertEquals("script/curl/unknown/script", classifier.classify("CURL/8.0").toString());
    }

    @Test
    void botsShareOneAnswer() {
        assertSame(classifier.classify("Googlebot/2.1"), classifier.classify("bingbot/2.0"));
    }

    private void assertClassifies(String testCase) {
        int arrow = testCase.indexOf(" <- ");
        String expected = testCase.substring(0, arrow);
        String userAgent = testCase.substring(arrow + 4);
        assertEquals(expected, classifier.classify(userAgent).toString(), userAgent);
    }
}
