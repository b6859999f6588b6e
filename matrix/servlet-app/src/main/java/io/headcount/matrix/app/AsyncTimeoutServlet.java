package io.headcount.matrix.app;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/async-timeout}: goes asynchronous and never answers; after
 * {@value MatrixPaths#ASYNC_TIMEOUT_MILLIS} ms the container times it out and answers with an error.
 */
public final class AsyncTimeoutServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        AsyncContext async = request.startAsync();
        async.setTimeout(MatrixPaths.ASYNC_TIMEOUT_MILLIS);
    }
}
