package com.example.webapp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.GenericServlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Deque;

/**
 * A servlet and a filter whose every call runs the next step of a script that the test put in the
 * request, so a test can play a container: filters, forwards, error pages, exceptions.
 */
public final class Scripted {
    /** Request attribute holding the {@code Deque<Step>} still to run. */
    public static final String SCRIPT = "test.script";

    private Scripted() {
    }

    /** What one call does. */
    public interface Step {
        void run(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException;
    }

    @SuppressWarnings("unchecked")
    public static void next(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ((Deque<Step>) request.getAttribute(SCRIPT)).pop().run(request, response, chain);
    }

    public static final class Servlet extends GenericServlet {
        @Override
        public void service(ServletRequest request, ServletResponse response) throws IOException, ServletException {
            next(request, response, null);
        }
    }

    public static final class ServletFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            next(request, response, chain);
        }
    }

    /** Runs its second step when the first throws: its own handler must still come first. */
    public static final class CatchingServlet extends GenericServlet {
        @Override
        public void service(ServletRequest request, ServletResponse response) throws IOException, ServletException {
            try {
                next(request, response, null);
            } catch (IllegalStateException e) {
                next(request, response, null);
            }
        }
    }

    /** Wraps the request it was given in its own parameter, as some filters do. */
    public static final class WrappingFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            request = new jakarta.servlet.ServletRequestWrapper(request);
            next(request, response, chain);
        }
    }

    /** Does nothing: the advice alone reads the request, as in its javax twin below. */
    public static final class NamespaceServlet extends GenericServlet {
        @Override
        public void service(ServletRequest request, ServletResponse response) {
        }
    }

    public static final class JavaxServlet extends javax.servlet.GenericServlet {
        @Override
        public void service(javax.servlet.ServletRequest request, javax.servlet.ServletResponse response) {
        }
    }
}
