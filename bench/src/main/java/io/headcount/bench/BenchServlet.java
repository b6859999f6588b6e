package io.headcount.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The app's servlet, doing nothing but answering with the request's status, so that what is
 * measured is the container's entry into {@code HttpServlet.service} and the advice around it.
 * Loaded by {@link ServletClassLoader} together with the (woven or plain) {@code HttpServlet}.
 */
public class BenchServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(((TomcatLikeRequest) request).status());
    }
}
