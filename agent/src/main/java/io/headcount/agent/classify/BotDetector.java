package io.headcount.agent.classify;

import java.util.Arrays;
import java.util.List;

/**
 * Tells automated clients: the crawler-user-agents list ({@link CrawlerPatterns}) plus a few
 * generic signals it does not cover. Immutable and thread-safe.
 *
 * <p>Generic signals, matched in lower case: a word ending in {@code bot} ({@code Googlebot/},
 * {@code SomeBot;}, but not {@code Botswana} nor the phone brand {@code Cubot}); {@code crawl},
 * {@code spider}, {@code scrape}, {@code headless} anywhere; health checkers and uptime monitors
 * ({@code kube-probe}, {@code ELB-HealthChecker}, {@code GoogleHC}); security scanners the list
 * lacks; and a {@code +http} link, the convention bots use to point at their documentation.
 */
final class BotDetector {
    private static final List<String> GENERIC = Arrays.asList(
            "crawl", "spider", "scrape", "headless", "slurp",
            "+http", "(+https", "(http://", "(https://",
            "kube-probe", "healthcheck", "health-check", "health check", "googlehc/", "uptime",
            "prometheus/", "synthetic", "lighthouse", "pagespeed", "phantomjs",
            "nuclei", "projectdiscovery", "gobuster", "feroxbuster", "fuzz faster u fool",
            "zgrab", "masscan", "censys", "shodan");

    /**
     * Real devices and browser add-ons whose names contain a listed crawler's name (the phone
     * HTC Butterfly, ViewSonic tablets, the Teoma search toolbar): removed before the list is
     * consulted.
     */
    private static final String[] NOT_BOTS = {
        "HTC Butterfly", "HTC_Butterfly", "HTC J Butterfly", "Ultra Sonic", "ViewSonic", "TeomaBar",
    };

    private static final String BLANKS = "                                        ";

    private final CrawlerPatterns crawlerPatterns;
    private final LiteralMatcher generic;
    private final LiteralMatcher botWord;

    BotDetector(CrawlerPatterns crawlerPatterns) {
        this.crawlerPatterns = crawlerPatterns;
        this.generic = new LiteralMatcher(GENERIC);
        this.botWord = new LiteralMatcher(Arrays.asList("bot"));
    }

    /**
     * @param userAgent the User-Agent as sent
     * @param lowerCased the same in lower case (ASCII letters folded)
     */
    boolean isBot(String userAgent, String lowerCased) {
        return firstSignal(userAgent, lowerCased) >= 0;
    }

    /**
     * Where the earliest bot signal starts, or -1 when there is none.
     *
     * @param userAgent the User-Agent as sent
     * @param lowerCased the same in lower case (ASCII letters folded)
     */
    int firstSignal(String userAgent, String lowerCased) {
        int[] first = {Integer.MAX_VALUE};
        generic.scan(lowerCased, (literal, start, end) -> {
            first[0] = Math.min(first[0], start);
            return false;
        });
        botWord.scan(lowerCased, (literal, start, end) -> {
            if (start < first[0] && isBotWord(lowerCased, start, end)) {
                first[0] = start;
            }
            return false;
        });
        int listed = crawlerPatterns.firstMatch(withoutNotBots(userAgent));
        if (listed >= 0 && listed < first[0]) {
            first[0] = listed;
        }
        return first[0] == Integer.MAX_VALUE ? -1 : first[0];
    }

    /** The text with each name of {@link #NOT_BOTS} blanked out, every other character in place. */
    private static String withoutNotBots(String userAgent) {
        String out = userAgent;
        for (String name : NOT_BOTS) {
            if (out.indexOf(name) >= 0) {
                out = out.replace(name, BLANKS.substring(0, name.length()));
            }
        }
        return out;
    }

    /** "bot" ending a word, and not the phone brand Cubot. */
    private static boolean isBotWord(String s, int start, int end) {
        if (end < s.length() && isAsciiLetter(s.charAt(end))) {
            return false;
        }
        return !(start >= 2 && s.charAt(start - 2) == 'c' && s.charAt(start - 1) == 'u');
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z';
    }
}
