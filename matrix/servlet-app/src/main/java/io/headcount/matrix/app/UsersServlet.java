package io.headcount.matrix.app;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /api/users/{id}}: one user as JSON; 404 when the id is not a number. */
public final class UsersServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // An include leaves the request's own paths alone and names the included one in an attribute.
        Object included = request.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
        String pathInfo = included != null ? (String) included : request.getPathInfo();
        String id = pathInfo == null ? "" : pathInfo.substring(1);
        if (!id.matches("[0-9]{1,9}")) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Json.write(response, 200, "{\"id\":" + id + ",\"name\":\"User " + id + "\"}");
    }
}
