package io.headcount.testapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /api/sysprops} shows the JVM-wide settings of {@code com.sun.net.httpserver} servers,
 * so that a test can see whether an agent changed them behind the app's back.
 */
final class SystemPropertiesServlet extends HttpServlet {
    static final String[] NAMES = {"sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime"};

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        StringBuilder json = new StringBuilder("{");
        for (String name : NAMES) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(Json.string(name)).append(':').append(Json.string(System.getProperty(name)));
        }
        Json.write(response, 200, json.append('}').toString());
    }
}
