package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.headcount.testsupport.HostileInputs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteLabelsTest {
    private static final String[] CONTEXTS = {"", "/shop", "/a/b"};

    @Test
    void givesTheTemplatesLabelAndNullForNoTemplate() {
        RouteLabels labels = new RouteLabels();
        assertEquals("/shop/owners/{ownerId}", labels.labelOf("/shop", "/owners/{ownerId}"));
        assertEquals("/owners/{ownerId}/pets", labels.labelOf("", " owners//{ownerId}/pets "));
        assertEquals("/shop/owners/{ownerId}", labels.labelOf("/shop", "/owners/{ownerId}"));
        assertNull(labels.labelOf("/shop", null));
        assertNull(labels.labelOf("/shop", "/**"));
        assertNull(labels.labelOf("/shop", "/**"));
        assertNull(labels.labelOf("", "/"));
        assertEquals("/x", labels.labelOf(null, "/x"));
    }

    @Test
    void aRememberedLabelIsTheSameInstanceForTheSameRouteAndContext() {
        RouteLabels labels = new RouteLabels();
        String first = labels.labelOf("/shop", "/owners/{ownerId}");
        assertSame(first, labels.labelOf("/shop", new String("/owners/{ownerId}")));
        assertEquals("/owners/{ownerId}", labels.labelOf("", "/owners/{ownerId}"));
        assertSame(first, labels.labelOf(new String("/shop"), "/owners/{ownerId}"));
    }

    /** Routes that share slots, and hostile text as routes, answer as the normalizer itself does. */
    @Test
    void answersAsTheNormalizerForFarMoreRoutesThanSlots() {
        List<String> routes = new ArrayList<>();
        for (int i = 0; i < RouteLabels.SLOTS * 4; i++) {
            routes.add("/api/v" + (i % 3) + "/things" + i + "/{id}");
        }
        routes.addAll(List.of("/**", "/*", "", " ", "/", "{*rest}", "/a/**", "//x//", "/owners/{ownerId}/pets/{petId}"));
        routes.addAll(HostileInputs.strings(0x7e_0a_be15L, 300));
        RouteLabels labels = new RouteLabels();
        for (int pass = 0; pass < 3; pass++) {
            for (String route : routes) {
                for (String context : CONTEXTS) {
                    assertEquals(EndpointNormalizer.templateLabel(context, route), labels.labelOf(context, route),
                            () -> context + " " + route);
                }
            }
        }
    }
}
