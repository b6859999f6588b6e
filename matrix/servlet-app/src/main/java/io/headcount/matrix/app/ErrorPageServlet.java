package io.headcount.matrix.app;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The error page: says which dispatch brought the request here, so that a test sees that the
 * container really dispatched to it (and can check that this second pass was not counted).
 */
public final class ErrorPageServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer ? (Integer) status : response.getStatus();
        Json.write(response, code, "{\"error\":" + code + ",\"dispatch\":\"" + request.getDispatcherType() + "\"}");
    }
}
