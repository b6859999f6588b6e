package io.headcount.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTemplatesTest {
    @Test
    void springsPatternIsTheRouteWhenNoFirstRouteWasKept() {
        assertEquals("/owners/{ownerId}", RouteTemplates.choose(null, "/owners/{ownerId}", "/shop"));
    }

    @Test
    void theFirstDispatchsRouteWinsOverWhatSpringMatchedLater() {
        assertEquals("/api/forward", RouteTemplates.choose("/api/forward", "/api/users/{id}", ""));
    }

    @Test
    void theFirstRouteLosesItsContextPath() {
        assertEquals("/api/users/{id}", RouteTemplates.choose("/shop/api/users/{id}", null, "/shop"));
        assertEquals("/", RouteTemplates.choose("/shop", null, "/shop"));
    }

    @Test
    void aContextPathThatIsOnlyAPrefixOfTheFirstSegmentStays() {
        assertEquals("/shopping/cart", RouteTemplates.choose("/shopping/cart", null, "/shop"));
    }

    @Test
    void anEmptyFirstRouteMeansTheFirstDispatchHadNoneEvenIfSpringMatchedLater() {
        assertNull(RouteTemplates.choose("", "/api/users/{id}", ""));
    }

    @Test
    void noRouteAtAllIsNull() {
        assertNull(RouteTemplates.choose(null, null, ""));
        assertNull(RouteTemplates.choose(null, 42, ""));
    }

    @Test
    void variablePatternsAreDropped() {
        assertEquals("/api/users/{id}", RouteTemplates.choose(null, "/api/users/{id:\\d+}", ""));
        assertEquals("/api/users/{id}", RouteTemplates.choose("/api/users/{id: [0-9]+}", null, ""));
        assertEquals("/days/{day}/x", RouteTemplates.choose(null, "/days/{day:\\d{4}-\\d{2}}/x", ""));
        assertEquals("/files/{*path}", RouteTemplates.choose(null, "/files/{*path}", ""));
    }

    @Test
    void jaxRsTemplatesJoinFromTheLeastSpecificAfterTheBasePath() {
        assertEquals("/api/users/{id}", RouteTemplates.joinJaxRs("/api/", List.of("/{id}", "/users")));
        assertEquals("/shop/api/users/{id}/orders",
                RouteTemplates.joinJaxRs("/shop/api/", List.of("/orders", "/{id}/", "users")));
    }

    @Test
    void jaxRsRootTemplatesAddNothing() {
        assertEquals("/api/users", RouteTemplates.joinJaxRs("/api/", List.of("/", "/users", "/")));
        assertEquals("/", RouteTemplates.joinJaxRs("/", List.of("/")));
        assertEquals("/users", RouteTemplates.joinJaxRs("", List.of("/users")));
    }
}
