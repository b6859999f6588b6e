package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped crawler pattern list is exactly the pinned source's, and compiles as intended. */
class CrawlerPatternsResourceTest {
    private static final String CRAWLER_JSON = "crawler-user-agents/crawler-user-agents.json";

    @Test
    void shippedResourceIsGeneratedFromTheCorpusJson() throws IOException {
        List<Map<String, Object>> entries = CrawlerPatternsGenerator.entries(UserAgentCorpusTest.corpus(CRAWLER_JSON));
        String expected = CrawlerPatternsGenerator.resourceText(entries);
        String shipped;
        try (InputStream in = CrawlerPatterns.class.getResourceAsStream(CrawlerPatterns.RESOURCE)) {
            assertNotNull(in, "resource " + CrawlerPatterns.RESOURCE + " missing");
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(expected, shipped, "regenerate with the command in the resource's header");
        assertEquals(1498, entries.size());
    }

    @Test
    void loadedPatternsAreTheJsonPatternsInOrder() throws IOException {
        List<String> fromJson = new ArrayList<>();
        for (Map<String, Object> entry : CrawlerPatternsGenerator.entries(UserAgentCorpusTest.corpus(CRAWLER_JSON))) {
            fromJson.add((String) entry.get("pattern"));
        }
        assertEquals(fromJson, CrawlerPatterns.load().patterns());
    }

    @Test
    void licenseShipsBesideThePatterns() throws IOException {
        try (InputStream in = CrawlerPatterns.class.getResourceAsStream("/META-INF/LICENSE-crawler-user-agents.txt")) {
            assertNotNull(in);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.contains("Copyright (c) 2017 Martin Monperrus"));
            assertTrue(text.contains("7c7f9f254f16fcbc7d0fcb60d0a188897c00b050"));
            assertTrue(text.contains("Permission is hereby granted, free of charge"));
        }
    }

    @Test
    void everyPatternCompilesAsAJavaRegex() {
        for (String pattern : CrawlerPatterns.load().patterns()) {
            Pattern.compile(pattern);
        }
    }

    /** The one-pass matcher must agree with running every pattern as a regex, example by example. */
    @Test
    void combinedMatcherAgreesWithEachPatternOnEveryExample() throws IOException {
        CrawlerPatterns combined = CrawlerPatterns.load();
        List<Pattern> each = new ArrayList<>();
        for (String pattern : combined.patterns()) {
            each.add(Pattern.compile(pattern));
        }
        int examples = 0;
        for (Map<String, Object> entry : CrawlerPatternsGenerator.entries(UserAgentCorpusTest.corpus(CRAWLER_JSON))) {
            Object instances = entry.get("instances");
            if (!(instances instanceof List<?> list)) {
                continue;
            }
            Pattern own = Pattern.compile((String) entry.get("pattern"));
            for (Object instance : list) {
                String ua = (String) instance;
                examples++;
                assertTrue(own.matcher(ua).find(), "own pattern misses its example: " + ua);
                int expected = Integer.MAX_VALUE;
                for (Pattern pattern : each) {
                    var matcher = pattern.matcher(ua);
                    if (matcher.find()) {
                        expected = Math.min(expected, matcher.start());
                    }
                }
                assertEquals(expected, combined.firstMatch(ua), ua);
            }
        }
        assertEquals(2116, examples);
    }

    @Test
    void literalBranchesAreUnescaped() {
        assertEquals("Googlebot/", CrawlerPatterns.plainLiteral("Googlebot\\/"));
        assertEquals("Mediapartners (Googlebot)", CrawlerPatterns.plainLiteral("Mediapartners \\(Googlebot\\)"));
        assertEquals("webmon ", CrawlerPatterns.plainLiteral("webmon "));
        assertNull(CrawlerPatterns.plainLiteral("^curl"));
        assertNull(CrawlerPatterns.plainLiteral("[wW]get"));
        assertNull(CrawlerPatterns.plainLiteral("BlogTraffic\\/\\d"));
    }

    @Test
    void alternativesSplitOnlyAtTopLevel() {
        assertEquals(List.of("Automaton", "Newsify Feed Fetcher"),
                CrawlerPatterns.topLevelBranches("Automaton|Newsify Feed Fetcher"));
        assertEquals(List.of("Ahrefs(Bot|SiteAudit)"), CrawlerPatterns.topLevelBranches("Ahrefs(Bot|SiteAudit)"));
        assertEquals(List.of("a[|]b", "c"), CrawlerPatterns.topLevelBranches("a[|]b|c"));
        assertEquals(List.of("a\\|b"), CrawlerPatterns.topLevelBranches("a\\|b"));
    }

    @Test
    void requiredLiteralIsTheLongestUnavoidableRun() {
        assertEquals("AdsBot-Google", CrawlerPatterns.requiredLiteral("AdsBot-Google([^-]|$)"));
        assertEquals("sentry/", CrawlerPatterns.requiredLiteral("(^| )sentry\\/"));
        assertEquals("rushBot", CrawlerPatterns.requiredLiteral("S[eE][mM]rushBot"));
        assertEquals(" Feed-Fetcher", CrawlerPatterns.requiredLiteral("BlogTraffic\\/\\d\\.\\d+ Feed-Fetcher"));
        assertEquals("Seekbot", CrawlerPatterns.requiredLiteral("^Seekbot"));
        assertEquals("abc", CrawlerPatterns.requiredLiteral("abcd?e*"));
        assertEquals("", CrawlerPatterns.requiredLiteral("[a-z]+"));
    }

    @Test
    void anythingBetweenLiteralsIsCheckedInOrder() {
        assertEquals(List.of("ContextualBot", "outcomes.net"),
                CrawlerPatterns.orderedLiterals("ContextualBot[\\s\\S]*outcomes\\.net"));
        assertNull(CrawlerPatterns.orderedLiterals("Current[\\s\\S]*RSS [rR]eader"));
        CrawlerPatterns patterns = CrawlerPatterns.of(List.of("Spider[\\s\\S]*spider\\.com"));
        assertEquals(3, patterns.firstMatch("xx Spider yy Spider spider.com"));
        assertEquals(-1, patterns.firstMatch("spider.com Spider"));
    }

    @Test
    void literalStartingWithADigitDoesNotMatchInsideAWordOrNumber() {
        CrawlerPatterns patterns = CrawlerPatterns.of(List.of("008\\/"));
        assertTrue(patterns.matches("Mozilla/5.0 (compatible; 008/0.83; http://www.80legs.com/webcrawler.html)"));
        assertFalse(patterns.matches("Opera/9.80 (MAUI Runtime; Opera Mini/4.4.39008/37.9178; U; en)"));
        assertFalse(patterns.matches("sprd-L008/1.0 Linux/2.6.35.7 Android/2.3.5"));
    }

    @Test
    void commentAndEmptyLinesAreNotPatterns() throws IOException {
        var reader = new java.io.BufferedReader(new java.io.StringReader("# header\n\nGooglebot\\/\n webmon \n"));
        assertEquals(List.of("Googlebot\\/", " webmon "), CrawlerPatterns.readPatterns(reader));
    }
}
