package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointNormalizerTest {
    /** The label of a GET that an app servlet answered, from the raw values as the worker gets them. */
    private static String label(String contextPath, String requestUri, String route, int status) {
        return label("GET", contextPath, requestUri, route, status, false);
    }

    private static String label(String method, String contextPath, String requestUri, String route, int status,
                                boolean containerAnswered) {
        return EndpointNormalizer.normalize(RequestPaths.context(contextPath), RequestPaths.resolve(requestUri),
                route, method, status, containerAnswered);
    }

    @Test
    void routeTemplateFollowsTheContextPath() {
        assertEquals("/owners/{ownerId}", label("", "/owners/42", "/owners/{ownerId}", 200));
        assertEquals("/shop/owners/{ownerId}", label("/shop", "/shop/owners/42", "/owners/{ownerId}", 200));
        assertEquals("/shop/owners/{ownerId}", label("/shop/", "/shop/owners/42", "owners/{ownerId}", 200));
        assertEquals("/owners/{ownerId}", label(null, "/owners/42", "/owners/{ownerId}", 500));
        assertEquals("/static/**", label("", "/static/app.js", "/static/**", 200));
    }

    @Test
    void realTemplateWinsEvenOnA404() {
        assertEquals("/owners/{ownerId}", label("", "/owners/999", "/owners/{ownerId}", 404));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/**", "/*", "**", "*", "/", "/**/*", "/{*path}", " /** "})
    void notFoundWithOnlyACatchAllTemplateIsNotFound(String route) {
        assertEquals("not_found", label("/shop", "/shop/wp-login.php", route, 404));
    }

    @Test
    void notFoundWithoutTemplateIsNotFound() {
        assertEquals("not_found", label("", "/.env", null, 404));
        assertEquals("not_found", label("", "/.env", "", 404));
    }

    @Test
    void catchAllTemplateOnSuccessFallsBackToThePath() {
        assertEquals("/css/site.css", label("", "/css/site.css", "/**", 200));
        assertEquals("/shop/", label("/shop", "/shop/", "/", 200));
    }

    @ParameterizedTest
    @CsvSource({
        "'', /owners/42, /owners/{id}",
        "'', /owners/42/pets/7, /owners/{id}/pets/{id}",
        "'', /orders/550e8400-e29b-41d4-a716-446655440000, /orders/{id}",
        "'', /orders/550E8400-E29B-41D4-A716-446655440000/items, /orders/{id}/items",
        "'', /blobs/0123456789abcdef, /blobs/{id}",
        "'', /blobs/0123456789ABCDEF0123, /blobs/{id}",
        "'', /blobs/0123456789abcde, /blobs/0123456789abcde",
        "'', /blobs/0123456789abcdeg, /blobs/0123456789abcdeg",
        "'', /v2/items, /v2/items",
        "'', /2024/report, /{id}/report",
        "'', /owners/42?x=1, /owners/{id}",
        "/shop, /shop/owners/42, /shop/owners/{id}",
        "'', /cart;jsessionid=ABC123DEF, /cart",
        "'', /a;x=1/b;y=2/c, /a/b/c",
        "'', /owners;v=1/42;jsessionid=9, /owners/{id}",
        "'', //a///b, /a/b",
        "'', /a/b/, /a/b/",
        "'', '', /",
        "'', /, /",
        "'', ;jsessionid=1, not_found",
        "'', /%7Euser/caf%C3%A9, /~user/caf\u00e9",
        "'', /a%2Fb, not_found",
        "'', /\u00fcber, /\u00fcber",
        "'', /a\tb, not_found",
        "'', /uuid-550e8400-e29b-41d4-a716-446655440000, /uuid-550e8400-e29b-41d4-a716-446655440000",
    })
    void pathsWithoutTemplateAreCleanedAndIdsFolded(String context, String uri, String expected) {
        assertEquals(expected, label(context, uri, null, 200));
    }

    @Test
    void nullRequestUriIsTheRoot() {
        assertEquals("/", label(null, null, null, 200));
    }

    @Test
    void deepPathsKeepSixteenSegments() {
        String uri = "/s".repeat(40);
        assertEquals("/s".repeat(15) + "/{more}", label("", uri, null, 200));
        assertEquals("/s".repeat(16), label("", "/s".repeat(16), null, 200));
    }

    @Test
    void longPathsKeepTwoHundredCharacters() {
        String segment = "abcdefghij".repeat(3); // 30 characters, not hex
        String uri = ("/" + segment).repeat(10);
        String expected = ("/" + segment).repeat(6) + "/{more}";
        assertEquals(expected, label("", uri, null, 200));
        assertTrue(expected.length() <= EndpointNormalizer.MAX_LENGTH);
        String huge = "/" + "x".repeat(5000);
        String cut = label("", huge, null, 200);
        assertEquals(200, cut.length());
        assertEquals("/" + "x".repeat(192) + "/{more}", cut);
    }

    @Test
    void aCutNeverSplitsACharacterOutsideTheBasicPlane() {
        String emoji = "\ud83d\ude00";
        assertEquals("/" + emoji.repeat(96) + "/{more}", label("", "/" + emoji.repeat(150), null, 200));
        // 193 characters would end between the two halves of the 96th.
        assertEquals("/a" + emoji.repeat(95) + "/{more}", label("", "/a" + emoji.repeat(150), null, 200));
    }

    @Test
    void longTemplatesAreBoundedToo() {
        String route = "/t".repeat(30);
        assertEquals("/t".repeat(15) + "/{more}", label("", "/x", route, 200));
    }

    @Test
    void idLikeSegments() {
        assertTrue(EndpointNormalizer.isIdLike("0"));
        assertTrue(EndpointNormalizer.isIdLike("12345678901234567890123"));
        assertTrue(EndpointNormalizer.isIdLike("deadbeefdeadbeef"));
        assertTrue(EndpointNormalizer.isIdLike("123e4567-e89b-12d3-a456-426614174000"));
        assertFalse(EndpointNormalizer.isIdLike(""));
        assertFalse(EndpointNormalizer.isIdLike("deadbeef"));
        assertFalse(EndpointNormalizer.isIdLike("12a"));
        assertFalse(EndpointNormalizer.isIdLike("-1"));
        assertFalse(EndpointNormalizer.isIdLike("123e4567e89b12d3a456426614174000-"));
        assertFalse(EndpointNormalizer.isIdLike("123e4567-e89b-12d3-a456_426614174000"));
        assertFalse(EndpointNormalizer.isIdLike("\u0661\u0662"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/r1/../api/users, /api/users",
        "/r2/../api/users, /api/users",
        "/%61pi/users, /api/users",
        "/api/./users, /api/users",
        "/api/users/%31, /api/users/{id}",
        "/api;x=1/users, /api/users",
        "//api//users, /api/users",
        "/metrics;/../api/orders, /api/orders",
        "/health/%2e%2e/api/users/1, /api/users/{id}",
        "/api%2Fusers, not_found",
        "/../api/users, not_found",
    })
    void spellingsOfOnePathMakeOneLabel(String uri, String expected) {
        assertEquals(expected, label("", uri, null, 200));
    }

    @ParameterizedTest(name = "{0} {1} by the default servlet -> not_found")
    @CsvSource({
        "OPTIONS, 200", "PUT, 405", "DELETE, 405", "PATCH, 501", "PATCH, 405", "FOO, 501", "TRACE, 405",
        "POST, 200", "GET, 400", "GET, 416", "HEAD, 500",
    })
    void whatTheContainerAnswersItselfIsNotFound(String method, int status) {
        assertEquals("not_found", label(method, "", "/r" + status + "/x", null, status, true));
    }

    @ParameterizedTest(name = "{0} {1} by the default servlet keeps its path")
    @CsvSource({"GET, 200", "HEAD, 200", "GET, 304", "GET, 302"})
    void staticFilesOfTheDefaultServletKeepTheirPath(String method, int status) {
        assertEquals("/index.html", label(method, "", "/index.html", null, status, true));
    }

    @Test
    void anAppServletsOwnAnswerKeepsItsPathWhateverTheMethod() {
        assertEquals("/api/users/{id}", label("POST", "", "/api/users/42", null, 405, false));
        assertEquals("/api/orders", label("OPTIONS", "", "/api/orders", null, 200, false));
        assertEquals("/api/orders", label("PUT", "", "/api/orders", null, 409, false));
    }

    @Test
    void anAppServletRefusingAMethodKeepsItsPath() {
        assertEquals("/api/orders", label("FOO", "", "/api/orders", null, 501, false));
        assertEquals("/api/orders", label("DELETE", "", "/api/orders", null, 405, false));
    }

    @ParameterizedTest(name = "{0} {1} through a catch-all template -> {2}")
    @CsvSource({
        "GET, 200, /css/site.css",
        "HEAD, 304, /css/site.css",
        "OPTIONS, 200, not_found",
        "PUT, 405, not_found",
        "POST, 200, not_found",
        "GET, 500, not_found",
    })
    void onlyStaticFilesKeepTheirPathThroughACatchAll(String method, int status, String expected) {
        assertEquals(expected, label(method, "", "/css/site.css", "/**", status, false));
    }

    @Test
    void aRealTemplateWinsOverTheContainerAndARejectedPath() {
        assertEquals("/owners/{ownerId}", label("OPTIONS", "", "/owners/%2F", "/owners/{ownerId}", 200, true));
    }
}
