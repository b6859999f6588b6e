package io.headcount.testapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /api/users} lists users; {@code GET /api/users/{id}} shows one, and id 0 does not exist. */
final class UsersServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = PathIds.single(request.getPathInfo());
        if (id == null) {
            Json.write(response, 200, "[" + user(1) + "," + user(2) + "," + user(3) + "]");
        } else if (PathIds.isPositiveNumber(id)) {
            Json.write(response, 200, user(Long.parseLong(id)));
        } else {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such user");
        }
    }

    private static String user(long id) {
        return "{\"id\":" + id + ",\"name\":" + Json.string("User " + id) + "}";
    }
}
