package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathExclusionsTest {
    /** Exclusion of a raw request, resolved as the worker resolves it. */
    private static boolean excluded(PathExclusions exclusions, String contextPath, String requestUri) {
        return exclusions.excludes(RequestPaths.context(contextPath), RequestPaths.resolve(requestUri));
    }

    /** The contract's default. */
    private final PathExclusions defaults = new PathExclusions(List.of("/health*", "/metrics*", "/favicon.ico"));

    @Test
    void defaultsExcludeHealthMetricsAndFavicon() {
        assertTrue(excluded(defaults, "", "/health"));
        assertTrue(excluded(defaults, "", "/healthz"));
        assertTrue(excluded(defaults, "", "/health/live"));
        assertTrue(excluded(defaults, "", "/metrics"));
        assertTrue(excluded(defaults, "", "/favicon.ico"));
        assertFalse(excluded(defaults, "", "/favicon.ico.bak"));
        assertFalse(excluded(defaults, "", "/api/health"));
        assertFalse(excluded(defaults, "", "/"));
    }

    @Test
    void globsMatchTheFullPathOrThePathWithinTheContext() {
        assertTrue(excluded(defaults, "/shop", "/shop/health"));
        assertTrue(excluded(defaults, "/shop", "/shop/favicon.ico"));
        assertFalse(excluded(defaults, "/shop", "/shopping/health"));
        PathExclusions full = new PathExclusions(List.of("/shop/admin/*"));
        assertTrue(excluded(full, "/shop", "/shop/admin/users"));
        assertFalse(excluded(full, "/other", "/other/admin/users"));
    }

    @Test
    void queryAndPathParametersAreIgnored() {
        assertTrue(excluded(defaults, "", "/health?full=true"));
        assertTrue(excluded(defaults, "", "/favicon.ico;jsessionid=ABC"));
        assertTrue(excluded(defaults, "", "//metrics"));
        assertTrue(excluded(defaults, "/shop;x=1", "/shop;x=1/health"));
    }

    @Test
    void starCrossesSlashesAndQuestionMarkIsOneCharacter() {
        PathExclusions globs = new PathExclusions(List.of("*.css", "/v?/ping", "/a*b*c"));
        assertTrue(excluded(globs, "", "/static/deep/site.css"));
        assertTrue(excluded(globs, "", "/v1/ping"));
        assertFalse(excluded(globs, "", "/v10/ping"));
        assertTrue(excluded(globs, "", "/a/x/b/y/c"));
        assertFalse(excluded(globs, "", "/a/x/b/y/d"));
    }

    @Test
    void globsAreCaseSensitiveAndMatchTheDecodedPath() {
        assertFalse(excluded(defaults, "", "/Health"));
        assertTrue(excluded(defaults, "", "/%68ealth"));
    }

    @Test
    void dotSegmentsAndParametersCannotHideAnAppRequest() {
        assertFalse(excluded(defaults, "", "/health/../api/users/1"));
        assertFalse(excluded(defaults, "", "/health/%2e%2e/api/users/1"));
        assertFalse(excluded(defaults, "", "/metrics;/../api/orders"));
        assertFalse(excluded(defaults, "", "/favicon.ico/../api"));
        assertFalse(excluded(defaults, "/shop", "/shop/health/../api"));
        assertTrue(excluded(defaults, "", "/api/../health"));
        assertTrue(excluded(defaults, "", "/api/..;x/%68ealth"));
    }

    @Test
    void aRejectedPathIsExcludedOnlyByABareStar() {
        assertFalse(excluded(defaults, "", "/health/%2F"));
        assertFalse(excluded(defaults, "", "/../health"));
        assertTrue(excluded(new PathExclusions(List.of("*")), "", "/../health"));
    }

    @Test
    void noGlobsExcludeNothing() {
        assertFalse(excluded(new PathExclusions(List.of()), "", "/health"));
        assertFalse(excluded(new PathExclusions(null), "", "/health"));
        assertFalse(excluded(new PathExclusions(Arrays.asList(null, " ")), "", "/health"));
    }

    @Test
    void bareStarExcludesEverythingEvenAMissingPath() {
        PathExclusions all = new PathExclusions(List.of("*"));
        assertTrue(excluded(all, null, null));
        assertTrue(excluded(all, "", "/anything/at/all"));
    }

    @Test
    void patternMatchingStaysFastOnHostileInput() {
        PathExclusions globs = new PathExclusions(List.of("*a*a*a*a*a*a*a*a*b"));
        assertFalse(excluded(globs, "", "/" + "a".repeat(1024)));
        assertTrue(PathExclusions.matches("*a*a*a*a*a*a*a*a*b", "a".repeat(1000) + "b"));
    }

    @Test
    void unicodeCharactersMatchThemselves() {
        PathExclusions globs = new PathExclusions(List.of("/caf\u00e9*", "/a?b"));
        assertTrue(excluded(globs, "", "/caf\u00e9/menu"));
        assertTrue(excluded(globs, "", "/a\u00e9b"));
    }

    /** Globs read as a literal or a prefix answer as the general matcher does. */
    @Test
    void literalAndPrefixGlobsAnswerAsTheGeneralMatcher() {
        char[] alphabet = {'/', 'a', 'b', 'c', '*', '?'};
        java.util.SplittableRandom random = new java.util.SplittableRandom(14);
        int matched = 0;
        for (int n = 0; n < 100_000; n++) {
            String glob = randomText(random, alphabet, 1 + random.nextInt(5));
            String path = randomText(random, alphabet, random.nextInt(7)).replace('*', 'a').replace('?', 'b');
            boolean expected = PathExclusions.matches(glob, path);
            assertEquals(expected, new PathExclusions(List.of(glob)).excludes("", path), glob + " on " + path);
            matched += expected ? 1 : 0;
        }
        assertEquals(9_823, matched, "paths a glob matched, so that both answers were tried");
    }

    private static String randomText(java.util.SplittableRandom random, char[] alphabet, int length) {
        char[] text = new char[length];
        for (int i = 0; i < length; i++) {
            text[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(text);
    }
}
