package io.headcount.matrix.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * An authentication filter as security libraries write them: without an {@code X-Api-Key} header
 * it answers 401 itself, and no servlet runs. A plain {@code Filter} with its own {@code init} and
 * {@code destroy}, since Jetty 9.4 has Servlet 3.1, which has neither {@code HttpFilter} nor default methods.
 */
public final class ApiKeyFilter implements Filter {
    public static final String HEADER = "X-Api-Key";

    @Override
    public void init(FilterConfig config) {
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (((HttpServletRequest) request).getHeader(HEADER) == null) {
            HttpServletResponse http = (HttpServletResponse) response;
            http.setHeader("WWW-Authenticate", "ApiKey");
            http.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        chain.doFilter(request, response);
    }

    @Override
    public void destroy() {
    }
}
