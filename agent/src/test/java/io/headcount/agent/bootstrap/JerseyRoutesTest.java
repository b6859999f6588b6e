package io.headcount.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against stand-ins of the shape of Jersey's classes: the agent finds Jersey's methods by name. */
public class JerseyRoutesTest {
    @BeforeEach
    void agentOn() {
        HeadcountSink.install(new EventQueue(16));
    }

    @AfterEach
    void agentOff() {
        HeadcountSink.install(null);
    }

    @Test
    void theMatchedTemplatesAreKeptInTheRequestPropertyFromTheServerRoot() {
        Request request = new Request("http://example.com/shop/api/", List.of("/{id: [0-9]+}", "/users"));
        JerseyRoutes.matched(new ProcessingContext(request));
        assertEquals("/shop/api/users/{id: [0-9]+}", request.properties.get(RouteTemplates.ATTRIBUTE));
    }

    @Test
    void aRouteKeptEarlierInTheRequestStays() {
        Request request = new Request("http://example.com/api/", List.of("/{id}", "/users"));
        request.setProperty(RouteTemplates.ATTRIBUTE, "/api/forward");
        JerseyRoutes.matched(new ProcessingContext(request));
        assertEquals("/api/forward", request.properties.get(RouteTemplates.ATTRIBUTE));
    }

    @Test
    void anAgentThatIsOffReadsNothing() {
        HeadcountSink.install(null);
        Request request = new Request("http://example.com/api/", List.of("/users"));
        JerseyRoutes.matched(new ProcessingContext(request));
        assertNull(request.properties.get(RouteTemplates.ATTRIBUTE));
    }

    @Test
    void somethingOfAnotherShapeIsLeftAloneAndCountedAsAnAgentFailure() {
        long before = HeadcountSink.adviceErrors();
        JerseyRoutes.matched("not a processing context");
        assertEquals(before + 1, HeadcountSink.adviceErrors());
    }

    public static final class ProcessingContext {
        private final Request request;

        public ProcessingContext(Request request) {
            this.request = request;
        }

        public Request request() {
            return request;
        }
    }

    public static final class Request {
        public final Map<String, Object> properties = new HashMap<>();
        private final URI base;
        private final UriInfo uriInfo;

        public Request(String base, List<String> templates) {
            this.base = URI.create(base);
            this.uriInfo = new UriInfo(templates.stream().map(Template::new).toList());
        }

        public UriInfo getUriInfo() {
            return uriInfo;
        }

        public URI getBaseUri() {
            return base;
        }

        public Object getProperty(String name) {
            return properties.get(name);
        }

        public void setProperty(String name, Object value) {
            properties.put(name, value);
        }
    }

    public static final class UriInfo {
        private final List<Template> templates;

        UriInfo(List<Template> templates) {
            this.templates = templates;
        }

        public List<Template> getMatchedTemplates() {
            return templates;
        }
    }

    public static final class Template {
        private final String template;

        Template(String template) {
            this.template = template;
        }

        public String getTemplate() {
            return template;
        }
    }
}
