package io.headcount.testapp;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /api/forward} forwards to {@code /api/users}; {@code GET /api/include} wraps its answer.
 * Either way one request passes through two servlets and must be counted once.
 */
final class DispatchServlet extends HttpServlet {
    private final boolean include;

    private DispatchServlet(boolean include) {
        this.include = include;
    }

    static DispatchServlet forwardingToUsers() {
        return new DispatchServlet(false);
    }

    static DispatchServlet includingUsers() {
        return new DispatchServlet(true);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (!include) {
            request.getRequestDispatcher("/api/users").forward(request, response);
            return;
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"included\":");
        request.getRequestDispatcher("/api/users").include(request, response);
        response.getWriter().write("}");
    }
}
