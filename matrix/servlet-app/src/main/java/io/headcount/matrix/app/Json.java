package io.headcount.matrix.app;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

final class Json {
    private Json() {
    }

    static void write(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json);
    }
}
