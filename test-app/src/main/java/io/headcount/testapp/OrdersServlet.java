package io.headcount.testapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;

/** {@code GET /api/orders/{uuid}} shows an order; {@code POST /api/orders} creates one (201). */
final class OrdersServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = PathIds.single(request.getPathInfo());
        if (id == null) {
            Json.write(response, 200, "[]");
        } else if (PathIds.isUuid(id)) {
            Json.write(response, 200, "{\"id\":" + Json.string(id) + ",\"status\":\"shipped\",\"items\":2}");
        } else {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such order");
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (PathIds.single(request.getPathInfo()) != null) {
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        request.getInputStream().readAllBytes();
        String id = UUID.randomUUID().toString();
        response.setHeader("Location", request.getContextPath() + "/api/orders/" + id);
        Json.write(response, HttpServletResponse.SC_CREATED, "{\"id\":" + Json.string(id) + ",\"status\":\"new\"}");
    }
}
