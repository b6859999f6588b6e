package io.headcount.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContainerServletTest {
    /** Like Jetty 9.4's request: no servlet mapping API, a public getServletName of its own. */
    public static final class JettyLikeRequest {
        private final String servletName;

        JettyLikeRequest(String servletName) {
            this.servletName = servletName;
        }

        public String getServletName() {
            return servletName;
        }
    }

    @Test
    void theContainersServletsByTheNamesTheyGiveThem() {
        assertTrue(HeadcountSink.isContainerServlet(null, "default"));
        assertTrue(HeadcountSink.isContainerServlet(null,
                "org.eclipse.jetty.servlet.ServletHandler$Default404Servlet-1b2c3d4e"));
        assertFalse(HeadcountSink.isContainerServlet(null, "dispatcherServlet"));
        assertFalse(HeadcountSink.isContainerServlet(null, "Default"));
        assertFalse(HeadcountSink.isContainerServlet(null, null));
        assertFalse(HeadcountSink.isContainerServlet(new Object(), ""));
    }

    @Test
    void aRequestWithoutTheMappingApiIsAskedForItsServletName() {
        assertTrue(HeadcountSink.isContainerServlet(new JettyLikeRequest("default"), ""));
        assertTrue(HeadcountSink.isContainerServlet(
                new JettyLikeRequest("org.eclipse.jetty.servlet.ServletHandler$Default404Servlet-6d0e6e"), null));
        assertFalse(HeadcountSink.isContainerServlet(new JettyLikeRequest("users"), null));
        assertFalse(HeadcountSink.isContainerServlet(new JettyLikeRequest(null), null));
        assertFalse(HeadcountSink.isContainerServlet(new JettyLikeRequest("default"), "users"));
    }
}
