package io.headcount.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTemplatesTest {
    @Test
    void onlyStringAttributesAreRoutes() {
        RequestEvent event = new RequestEvent();
        event.routes(42, "/owners/{ownerId}");
        assertNull(event.firstRoute);
        assertEquals("/owners/{ownerId}", event.springRoute);
        event.routes("", new Object());
        assertEquals("", event.firstRoute);
        assertNull(event.springRoute);
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
