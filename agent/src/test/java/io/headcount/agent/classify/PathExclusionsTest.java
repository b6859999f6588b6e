package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathExclusionsTest {
    /** The contract's default. */
    private final PathExclusions defaults = new PathExclusions(List.of("/health*", "/metrics*", "/favicon.ico"));

    @Test
    void defaultsExcludeHealthMetricsAndFavicon() {
        assertTrue(defaults.excludes("", "/health"));
        assertTrue(defaults.excludes("", "/healthz"));
        assertTrue(defaults.excludes("", "/health/live"));
        assertTrue(defaults.excludes("", "/metrics"));
        assertTrue(defaults.excludes("", "/favicon.ico"));
        assertFalse(defaults.excludes("", "/favicon.ico.bak"));
        assertFalse(defaults.excludes("", "/api/health"));
        assertFalse(defaults.excludes("", "/"));
    }

    @Test
    void globsMatchTheFullPathOrThePathWithinTheContext() {
        assertTrue(defaults.excludes("/shop", "/shop/health"));
        assertTrue(defaults.excludes("/shop", "/shop/favicon.ico"));
        assertFalse(defaults.excludes("/shop", "/shopping/health"));
        PathExclusions full = new PathExclusions(List.of("/shop/admin/*"));
        assertTrue(full.excludes("/shop", "/shop/admin/users"));
        assertFalse(full.excludes("/other", "/other/admin/users"));
    }

    @Test
    void queryAndPathParametersAreIgnored() {
        assertTrue(defaults.excludes("", "/health?full=true"));
        assertTrue(defaults.excludes("", "/favicon.ico;jsessionid=ABC"));
        assertTrue(defaults.excludes("", "//metrics"));
        assertTrue(defaults.excludes("/shop;x=1", "/shop;x=1/health"));
    }

    @Test
    void starCrossesSlashesAndQuestionMarkIsOneCharacter() {
        PathExclusions globs = new PathExclusions(List.of("*.css", "/v?/ping", "/a*b*c"));
        assertTrue(globs.excludes("", "/static/deep/site.css"));
        assertTrue(globs.excludes("", "/v1/ping"));
        assertFalse(globs.excludes("", "/v10/ping"));
        assertTrue(globs.excludes("", "/a/x/b/y/c"));
        assertFalse(globs.excludes("", "/a/x/b/y/d"));
    }

    @Test
    void globsAreCaseSensitiveAndNotDecoded() {
        assertFalse(defaults.excludes("", "/Health"));
        assertFalse(defaults.excludes("", "/%68ealth"));
    }

    @Test
    void noGlobsExcludeNothing() {
        assertFalse(new PathExclusions(List.of()).excludes("", "/health"));
        assertFalse(new PathExclusions(null).excludes("", "/health"));
        assertFalse(new PathExclusions(Arrays.asList(null, " ")).excludes("", "/health"));
    }

    @Test
    void bareStarExcludesEverythingEvenAMissingPath() {
        PathExclusions all = new PathExclusions(List.of("*"));
        assertTrue(all.excludes(null, null));
        assertTrue(all.excludes("", "/anything/at/all"));
    }

    @Test
    void patternMatchingStaysFastOnHostileInput() {
        PathExclusions globs = new PathExclusions(List.of("*a*a*a*a*a*a*a*a*b"));
        assertFalse(globs.excludes("", "/" + "a".repeat(1024)));
        assertTrue(PathExclusions.matches("*a*a*a*a*a*a*a*a*b", "a".repeat(1000) + "b"));
    }

    @Test
    void controlAndUnicodeCharactersMatchThemselves() {
        PathExclusions globs = new PathExclusions(List.of("/caf\u00e9*", "/a?b"));
        assertTrue(globs.excludes("", "/caf\u00e9/menu"));
        assertTrue(globs.excludes("", "/a\u0000b"));
    }
}
