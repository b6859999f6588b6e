package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // The attacks of issue 10, found 4 and 5.
        "/r1/../api/users, /api/users",
        "/r199/../api/users, /api/users",
        "/%61pi/users, /api/users",
        "/api/./users, /api/users",
        "/api/users/%31, /api/users/1",
        "/api;x=1/users, /api/users",
        "//api//users, /api/users",
        "/metrics;/../api/orders, /api/orders",
        "/health/../api/users/1, /api/users/1",
        "/health/%2e%2e/api/users/1, /api/users/1",
        "/health/%2E%2E/api/users/1, /api/users/1",
        "/health/..;x=1/api/users/1, /api/users/1",
        "/health/.%2e/api, /api",
        // Dot segments at the end keep the trailing slash, as Tomcat's normalize does.
        "/api/users/., /api/users/",
        "/api/users/.., /api/",
        "/api/.., /",
        "/., /",
        "/./, /",
        "/.well-known/security.txt, /.well-known/security.txt",
        "/a/..b/c, /a/..b/c",
        "/a/b./c, /a/b./c",
        // Parameters, query and fragment.
        "/cart;jsessionid=ABC123, /cart",
        "/a;x=1/b;y=2/c, /a/b/c",
        "/a/;x/b, /a/b",
        "/owners/42?x=1, /owners/42",
        "/owners/42?x=/../y, /owners/42",
        "/owners/42#top, /owners/42",
        "/a/../b?x=%zz, /b",
        "/a/b#%zz/.., /a/b",
        "/a//b/, /a/b/",
        "/, /",
        // Decoding as UTF-8; '+' stays.
        "/caf%C3%A9, /caf\u00e9",
        "/%E2%82%AC/x, /\u20ac/x",
        "/%F0%9F%98%80, /\ud83d\ude00",
        "/a%20b+c, /a b+c",
        "/%7Euser, /~user",
        "/a%3Fb, /a?b",
        "/\u00fcber, /\u00fcber",
        "/\ud83d\ude00/x, /\ud83d\ude00/x",
    })
    void resolvesAsTheContainerDoes(String raw, String expected) {
        assertEquals(expected, RequestPaths.resolve(raw));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @ValueSource(strings = {
        "/..", "/../api/users", "/api/../../etc/passwd", "/%2e%2e/api", "/a/%2E%2E/%2e%2e/b",
        "/api%2Fusers", "/api%2fusers", "/a%5Cb", "/a\\b", "/a%3Bx=1/b", "/a%00b", "/a%0Ab", "/a%7Fb",
        "/a%C2%85b", "/a%", "/a%2", "/a%zz", "/a%%31", "/a%\u0661\u0662", "/a%C3", "/a%C0%AE", "/a%ED%A0%80",
        "/a%FF", "/a\tb", "/a\u0000b", "/a\u0085b", "/a\ud800b", "/a\udfffb", "/a\ud800", "api/users", "*",
        "http://example.com/api", "/a%zz?x=1", "/../a#f",
    })
    void rejectsWhatContainersReject(String raw) {
        assertNull(RequestPaths.resolve(raw));
    }

    @Test
    void aMissingOrEmptyPathIsTheRoot() {
        assertEquals("/", RequestPaths.resolve(null));
        assertEquals("/", RequestPaths.resolve(""));
        assertEquals("/", RequestPaths.resolve("?x=1"));
    }

    /**
     * The one-pass check sends to the slow steps every path they would change or reject: for
     * random paths of the characters that matter, the answer is the slow steps' answer.
     */
    @Test
    void theOnePassCheckMissesNothingTheSlowStepsWouldChange() {
        char[] alphabet = {'/', '/', '/', '.', '.', 'a', 'b', '1', '%', '2', 'e', 'F', ';', '?', '#', '\\', ' ',
            '\u007f', '\u0085', '\u00a0', '\u00e9', '\ud83d', '\ude00', '\u0000'};
        java.util.SplittableRandom random = new java.util.SplittableRandom(14);
        int changed = 0;
        for (int n = 0; n < 200_000; n++) {
            char[] path = new char[1 + random.nextInt(12)];
            for (int i = 0; i < path.length; i++) {
                path[i] = alphabet[random.nextInt(alphabet.length)];
            }
            path[0] = random.nextInt(8) == 0 ? path[0] : '/';
            String raw = new String(path);
            int end = 0;
            while (end < raw.length() && raw.charAt(end) != '?' && raw.charAt(end) != '#') {
                end++;
            }
            String expected = end == 0 ? "/" : raw.charAt(0) != '/' ? null : RequestPaths.resolveSlowly(raw, end);
            String resolved = RequestPaths.resolve(raw);
            assertEquals(expected, resolved, raw);
            changed += expected != null && !expected.equals(raw.substring(0, end)) ? 1 : 0;
        }
        assertEquals(25_546, changed, "paths the slow steps changed, so that both answers were tried");
    }

    @Test
    void aPathThatNeedsNothingIsReturnedAsItIs() {
        String path = "/api/users/42";
        assertSame(path, RequestPaths.resolve(path));
    }

    @ParameterizedTest(name = "context {0} -> {1}")
    @CsvSource({
        "'', ''",
        "/, ''",
        "/shop, /shop",
        "/shop/, /shop",
        "shop, /shop",
        "/shop;x=1, /shop",
        "/sh%6Fp, /shop",
        "/a/../shop, /shop",
        "/.., ''",
    })
    void contextPaths(String raw, String expected) {
        assertEquals(expected, RequestPaths.context(raw));
    }

    @Test
    void aMissingContextIsTheRoot() {
        assertEquals("", RequestPaths.context(null));
    }
}
