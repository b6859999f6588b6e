package io.headcount.matrix.spring;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What Spring Security's filter chain does for an unauthenticated request, in a few lines: without
 * an {@code X-Api-Key} header, {@code /api/secret} gets a 401 from the filter (through
 * {@code sendError}, so Boot's error page renders it), and no controller runs.
 */
@Component
public class ApiKeyFilter extends OncePerRequestFilter {
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().equals("/api/secret");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getHeader("X-Api-Key") == null) {
            response.setHeader("WWW-Authenticate", "ApiKey");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        chain.doFilter(request, response);
    }
}
