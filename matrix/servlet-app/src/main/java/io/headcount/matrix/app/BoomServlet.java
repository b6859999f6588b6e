package io.headcount.matrix.app;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /api/boom}: an exception escapes, and the container dispatches to the error page. */
public final class BoomServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        throw new IllegalStateException("boom (thrown on purpose by the matrix app)");
    }
}
