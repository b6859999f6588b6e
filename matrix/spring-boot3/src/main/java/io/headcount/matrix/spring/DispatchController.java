package io.headcount.matrix.spring;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /api/forward} forwards to {@code /api/users/7} the Spring MVC way; {@code /api/include} includes it. */
@Controller
public class DispatchController {
    private static final String TARGET = "/api/users/7";

    @GetMapping("/api/forward")
    public String forward() {
        return "forward:" + TARGET;
    }

    @GetMapping("/api/include")
    public void include(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        // The stream, not the writer: Spring's message converters write the included answer to it.
        response.setContentType("application/json");
        response.getOutputStream().write("{\"included\":".getBytes(StandardCharsets.UTF_8));
        request.getRequestDispatcher(TARGET).include(request, response);
        response.getOutputStream().write("}".getBytes(StandardCharsets.UTF_8));
    }
}
