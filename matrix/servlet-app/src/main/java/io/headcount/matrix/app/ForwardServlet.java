package io.headcount.matrix.app;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /api/forward} forwards to {@code /api/users/7}; {@code /api/include} wraps what it answers. */
public final class ForwardServlet extends HttpServlet {
    public static final String TARGET = "/api/users/7";
    private final boolean include;

    private ForwardServlet(boolean include) {
        this.include = include;
    }

    public static ForwardServlet forward() {
        return new ForwardServlet(false);
    }

    public static ForwardServlet include() {
        return new ForwardServlet(true);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (!include) {
            request.getRequestDispatcher(TARGET).forward(request, response);
            return;
        }
        response.setContentType("application/json");
        response.getWriter().write("{\"included\":");
        request.getRequestDispatcher(TARGET).include(request, response);
        response.getWriter().write("}");
    }
}
