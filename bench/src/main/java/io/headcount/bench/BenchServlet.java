package io.headcount.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The app's servlet, written like the test app's (it overrides {@code doGet} and friends, not
 * {@code service}), doing nothing but answering with the request's status, so that what is measured
 * is the container's entry into {@code HttpServlet.service}, its dispatch, and the advice around it.
 * Loaded by {@link ServletClassLoader} together with the (woven or plain) {@code HttpServlet}.
 */
public class BenchServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static void answer(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(request instanceof TomcatLikeRequest ? ((TomcatLikeRequest) request).status()
                : (Integer) request.getAttribute(TomcatRequests.STATUS_ATTRIBUTE));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        answer(request, response);
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) {
        answer(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        answer(request, response);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) {
        answer(request, response);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) {
        answer(request, response);
    }
}
