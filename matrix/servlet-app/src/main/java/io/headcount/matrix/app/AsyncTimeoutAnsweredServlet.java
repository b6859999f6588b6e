package io.headcount.matrix.app;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/async-timeout-answered}: a long poll. It goes asynchronous and waits for news that
 * never comes; after {@value MatrixPaths#ASYNC_TIMEOUT_MILLIS} ms its own listener answers the
 * timeout with 204 No Content, as long-polling apps do.
 */
public final class AsyncTimeoutAnsweredServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        AsyncContext async = request.startAsync();
        async.setTimeout(MatrixPaths.ASYNC_TIMEOUT_MILLIS);
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                ((HttpServletResponse) event.getAsyncContext().getResponse()).setStatus(204);
                event.getAsyncContext().complete();
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
    }
}
