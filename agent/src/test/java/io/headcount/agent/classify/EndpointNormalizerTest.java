package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointNormalizerTest {
    @Test
    void routeTemplateFollowsTheContextPath() {
        assertEquals("/owners/{ownerId}", EndpointNormalizer.normalize("", "/owners/42", "/owners/{ownerId}", 200));
        assertEquals("/shop/owners/{ownerId}", EndpointNormalizer.normalize("/shop", "/shop/owners/42", "/owners/{ownerId}", 200));
        assertEquals("/shop/owners/{ownerId}", EndpointNormalizer.normalize("/shop/", "/shop/owners/42", "owners/{ownerId}", 200));
        assertEquals("/owners/{ownerId}", EndpointNormalizer.normalize(null, "/owners/42", "/owners/{ownerId}", 500));
        assertEquals("/static/**", EndpointNormalizer.normalize("", "/static/app.js", "/static/**", 200));
    }

    @Test
    void realTemplateWinsEvenOnA404() {
        assertEquals("/owners/{ownerId}", EndpointNormalizer.normalize("", "/owners/999", "/owners/{ownerId}", 404));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/**", "/*", "**", "*", "/", "/**/*", "/{*path}", " /** "})
    void notFoundWithOnlyACatchAllTemplateIsNotFound(String route) {
        assertEquals("not_found", EndpointNormalizer.normalize("/shop", "/shop/wp-login.php", route, 404));
    }

    @Test
    void notFoundWithoutTemplateIsNotFound() {
        assertEquals("not_found", EndpointNormalizer.normalize("", "/.env", null, 404));
        assertEquals("not_found", EndpointNormalizer.normalize("", "/.env", "", 404));
    }

    @Test
    void catchAllTemplateOnSuccessFallsBackToThePath() {
        assertEquals("/css/site.css", EndpointNormalizer.normalize("", "/css/site.css", "/**", 200));
        assertEquals("/shop/", EndpointNormalizer.normalize("/shop", "/shop/", "/", 200));
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
        "'', ;jsessionid=1, /",
        "'', /%7Euser/caf%C3%A9, /%7Euser/caf%C3%A9",
        "'', /a%2Fb, /a%2Fb",
        "'', /\u00fcber, /\u00fcber",
        "'', /a\tb, /a%09b",
        "'', /uuid-550e8400-e29b-41d4-a716-446655440000, /uuid-550e8400-e29b-41d4-a716-446655440000",
    })
    void pathsWithoutTemplateAreCleanedAndIdsFolded(String context, String uri, String expected) {
        assertEquals(expected, EndpointNormalizer.normalize(context, uri, null, 200));
    }

    @Test
    void nullRequestUriIsTheRoot() {
        assertEquals("/", EndpointNormalizer.normalize(null, null, null, 200));
    }

    @Test
    void deepPathsKeepSixteenSegments() {
        String uri = "/s".repeat(40);
        assertEquals("/s".repeat(15) + "/{more}", EndpointNormalizer.normalize("", uri, null, 200));
        assertEquals("/s".repeat(16), EndpointNormalizer.normalize("", "/s".repeat(16), null, 200));
    }

    @Test
    void longPathsKeepTwoHundredCharacters() {
        String segment = "abcdefghij".repeat(3); // 30 characters, not hex
        String uri = ("/" + segment).repeat(10);
        String expected = ("/" + segment).repeat(6) + "/{more}";
        assertEquals(expected, EndpointNormalizer.normalize("", uri, null, 200));
        assertTrue(expected.length() <= EndpointNormalizer.MAX_LENGTH);
        String huge = "/" + "x".repeat(5000);
        String cut = EndpointNormalizer.normalize("", huge, null, 200);
        assertEquals(200, cut.length());
        assertEquals("/" + "x".repeat(192) + "/{more}", cut);
    }

    @Test
    void longTemplatesAreBoundedToo() {
        String route = "/t".repeat(30);
        assertEquals("/t".repeat(15) + "/{more}", EndpointNormalizer.normalize("", "/x", route, 200));
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
}
