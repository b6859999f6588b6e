package com.example.webapp;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpFilter;

/** Stand-ins for an app's own classes (the agent skips its own package, so these live outside it). */
public final class AppFilters {
    private AppFilters() {
    }

    /** A filter two levels below the API type: neither it nor its parent names Filter itself. */
    public abstract static class BaseFilter extends HttpFilter {
    }

    public static final class AuthFilter extends BaseFilter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) {
        }
    }

    public static final class NotAServlet {
        public void service(String name, int times) {
        }
    }

    public static final class JavaxServlet extends javax.servlet.http.HttpServlet {
        @Override
        protected void service(javax.servlet.http.HttpServletRequest req, javax.servlet.http.HttpServletResponse resp) {
        }
    }
}
