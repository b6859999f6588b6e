package io.headcount.matrix.app;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/async}: the request thread returns at once; another thread answers 200 after
 * {@value MatrixPaths#ASYNC_DELAY_MILLIS} ms, so the request's full duration is at least that.
 */
public final class AsyncServlet extends HttpServlet {
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "matrix-async");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        AsyncContext async = request.startAsync();
        later.schedule(() -> {
            try {
                Json.write((HttpServletResponse) async.getResponse(), 200, "{\"async\":true}");
            } catch (IOException e) {
                e.printStackTrace();
            } finally {
                async.complete();
            }
        }, MatrixPaths.ASYNC_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        later.shutdownNow();
    }
}
