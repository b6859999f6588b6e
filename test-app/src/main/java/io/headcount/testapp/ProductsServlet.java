package io.headcount.testapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /shop/products/{id}} in the {@code /shop} context. */
final class ProductsServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = PathIds.single(request.getPathInfo());
        if (id != null && PathIds.isPositiveNumber(id)) {
            Json.write(response, 200, "{\"id\":" + id + ",\"name\":" + Json.string("Product " + id)
                    + ",\"context\":" + Json.string(request.getContextPath()) + "}");
        } else {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such product");
        }
    }
}
