package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FrameworkRoutesTest {
    @Test
    void springsPatternIsTheRouteWhenNoFirstRouteWasKept() {
        assertEquals("/owners/{ownerId}", FrameworkRoutes.choose(null, "/owners/{ownerId}", "/shop"));
    }

    @Test
    void theFirstDispatchsRouteWinsOverWhatSpringMatchedLater() {
        assertEquals("/api/forward", FrameworkRoutes.choose("/api/forward", "/api/users/{id}", ""));
    }

    @Test
    void theFirstRouteLosesItsContextPath() {
        assertEquals("/api/users/{id}", FrameworkRoutes.choose("/shop/api/users/{id}", null, "/shop"));
        assertEquals("/", FrameworkRoutes.choose("/shop", null, "/shop"));
    }

    @Test
    void aContextPathThatIsOnlyAPrefixOfTheFirstSegmentStays() {
        assertEquals("/shopping/cart", FrameworkRoutes.choose("/shopping/cart", null, "/shop"));
    }

    @Test
    void anEmptyFirstRouteMeansTheFirstDispatchHadNoneEvenIfSpringMatchedLater() {
        assertNull(FrameworkRoutes.choose("", "/api/users/{id}", ""));
    }

    @Test
    void noRouteAtAllIsNull() {
        assertNull(FrameworkRoutes.choose(null, null, ""));
    }

    @Test
    void variablePatternsAreDropped() {
        assertEquals("/api/users/{id}", FrameworkRoutes.choose(null, "/api/users/{id:\\d+}", ""));
        assertEquals("/api/users/{id}", FrameworkRoutes.choose("/api/users/{id: [0-9]+}", null, ""));
        assertEquals("/days/{day}/x", FrameworkRoutes.choose(null, "/days/{day:\\d{4}-\\d{2}}/x", ""));
        assertEquals("/files/{*path}", FrameworkRoutes.choose(null, "/files/{*path}", ""));
    }
}
