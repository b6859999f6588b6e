package io.headcount.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        assertEquals(true, HeadcountSink.isContainerServlet(null, "default"));
        assertEquals(true, HeadcountSink.isContainerServlet(null,
                "org.eclipse.jetty.servlet.ServletHandler$Default404Servlet-1b2c3d4e"));
        assertEquals(false, HeadcountSink.isContainerServlet(null, "dispatcherServlet"));
        assertEquals(false, HeadcountSink.isContainerServlet(null, "Default"));
        assertEquals(false, HeadcountSink.isContainerServlet(null, null));
        assertEquals(false, HeadcountSink.isContainerServlet(new Object(), ""));
    }

    @Test
    void aRequestWithoutTheMappingApiIsAskedForItsServletName() {
        assertEquals(true, HeadcountSink.isContainerServlet(new JettyLikeRequest("default"), ""));
        assertEquals(true, HeadcountSink.isContainerServlet(
                new JettyLikeRequest("org.eclipse.jetty.servlet.ServletHandler$Default404Servlet-6d0e6e"), null));
        assertEquals(false, HeadcountSink.isContainerServlet(new JettyLikeRequest("users"), null));
        assertEquals(false, HeadcountSink.isContainerServlet(new JettyLikeRequest(null), null));
        assertEquals(false, HeadcountSink.isContainerServlet(new JettyLikeRequest("default"), "users"));
    }
}
