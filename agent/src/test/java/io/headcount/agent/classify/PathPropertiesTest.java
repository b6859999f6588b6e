package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.headcount.testsupport.HostileInputs;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The path rules on generated hostile input (see {@link HostileInputs}): the resolved path, the
 * endpoint label and the exclusions never throw, and every endpoint is {@code not_found} or a
 * clean path that the container could have served. A failure names its seed and case.
 */
class PathPropertiesTest {
    private static final int CASES = 300;
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "OPTIONS", "BREW", "");
    private static final List<Integer> STATUSES = List.of(200, 302, 304, 400, 404, 405, 500, 501);
    private static final String[] ROUTES = {null, "", "/**", "/", "/owners/{ownerId}"};
    private static final PathExclusions DEFAULT_EXCLUSIONS =
            new PathExclusions(List.of("/health*", "/metrics*", "/favicon.ico"));

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 6);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void resolvedPathsAreNullOrCleanAndStable(long seed) {
        List<String> inputs = HostileInputs.strings(seed, CASES);
        for (int i = 0; i < inputs.size(); i++) {
            String raw = inputs.get(i);
            String[] candidates = {raw, "/" + raw, "/api/" + raw + "/x"};
            for (String candidate : candidates) {
                String path = resolve(seed, i, candidate);
                if (path == null) {
                    continue;
                }
                String where = where(seed, i, path);
                assertTrue(path.startsWith("/"), where);
                assertTrue(!path.contains("//") && !path.contains(";") && !path.contains("\\"), where);
                assertCleanSegments(path, where);
                if (path.indexOf('%') < 0 && path.indexOf('?') < 0 && path.indexOf('#') < 0) {
                    assertEquals(path, RequestPaths.resolve(path), "resolving again changes nothing: " + where);
                }
            }
            String context = RequestPaths.context(raw);
            assertTrue(context.isEmpty() || context.startsWith("/") && !context.endsWith("/"), where(seed, i, context));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void endpointsAreNotFoundOrACleanBoundedPath(long seed) {
        List<String> inputs = HostileInputs.strings(seed, CASES);
        int paths = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String raw = inputs.get(i);
            String context = RequestPaths.context(i % 3 == 0 ? raw : "");
            String path = resolve(seed, i, (i % 2 == 0 ? "/" : "") + raw);
            String method = i % 5 == 4 ? raw : METHODS.get(i % METHODS.size());
            String endpoint;
            try {
                endpoint = EndpointNormalizer.normalize(context, path, ROUTES[i % ROUTES.length], method,
                        STATUSES.get(i % STATUSES.size()), i % 4 == 0);
            } catch (RuntimeException e) {
                throw new AssertionError(where(seed, i, raw), e);
            }
            String where = where(seed, i, endpoint);
            if (endpoint.equals(EndpointNormalizer.NOT_FOUND)) {
                continue;
            }
            assertTrue(endpoint.startsWith("/"), where);
            assertTrue(endpoint.length() <= EndpointNormalizer.MAX_LENGTH, where);
            assertTrue(endpoint.indexOf(';') < 0 && endpoint.indexOf('\\') < 0, where);
            assertCleanSegments(endpoint, where);
            paths++;
        }
        assertTrue(paths > CASES / 20, "too few cases reach a path label to say much: " + paths);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void onlyAPathThatResolvesToAnExcludedOneIsExcluded(long seed) {
        List<String> inputs = HostileInputs.strings(seed, CASES);
        for (int i = 0; i < inputs.size(); i++) {
            for (String raw : new String[] {inputs.get(i), "/health" + inputs.get(i), "/metrics;" + inputs.get(i)}) {
                String path = resolve(seed, i, raw);
                boolean excluded;
                try {
                    excluded = DEFAULT_EXCLUSIONS.excludes("", path);
                } catch (RuntimeException e) {
                    throw new AssertionError(where(seed, i, raw), e);
                }
                boolean healthOrMetrics = path != null && (path.startsWith("/health") || path.startsWith("/metrics")
                        || path.equals("/favicon.ico"));
                assertEquals(healthOrMetrics, excluded, where(seed, i, raw));
            }
        }
    }

    private static String resolve(long seed, int i, String raw) {
        try {
            return RequestPaths.resolve(raw);
        } catch (RuntimeException e) {
            throw new AssertionError(where(seed, i, raw), e);
        }
    }

    /** No control character, lone surrogate, or '.' / '..' segment. */
    private static void assertCleanSegments(String path, String where) {
        for (int c = 0; c < path.length(); c++) {
            char ch = path.charAt(c);
            if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0)) {
                fail("control character at " + c + ": " + where);
            }
            if (Character.isHighSurrogate(ch) ? c + 1 >= path.length() || !Character.isLowSurrogate(path.charAt(++c))
                    : Character.isLowSurrogate(ch)) {
                fail("lone surrogate at " + c + ": " + where);
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                fail("dot segment: " + where);
            }
        }
    }

    private static String where(long seed, int i, String value) {
        String shown = value == null ? "null" : value.length() > 200 ? value.substring(0, 200) + "..." : value;
        return "seed " + seed + " case " + i + ": " + shown.codePoints()
                .mapToObj(cp -> cp < 0x20 || cp > 0x7e ? String.format("\\u%04x", cp) : String.valueOf((char) cp))
                .reduce("", String::concat);
    }
}
