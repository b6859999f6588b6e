package io.headcount.matrix.jersey;

import io.headcount.matrix.app.MatrixPaths;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The API of the matrix app in JAX-RS. The user id's template carries a regular expression, as
 * JAX-RS apps often do; {@code /api/owners/{ownerId}} has a plain variable that a path rule could
 * not guess.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ApiResource {
    private static final ScheduledExecutorService LATER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "matrix-async");
        thread.setDaemon(true);
        return thread;
    });

    @GET
    @Path("users/{id: [0-9]+}")
    public String user(@PathParam("id") long id) {
        return "{\"id\":" + id + ",\"name\":\"User " + id + "\"}";
    }

    @GET
    @Path("owners/{ownerId}")
    public String owner(@PathParam("ownerId") String ownerId) {
        return "{\"owner\":\"" + ownerId.replaceAll("[^A-Za-z0-9]", "") + "\"}";
    }

    /** Reached only through the common {@code ApiKeyFilter}. */
    @GET
    @Path("secret")
    public String secret() {
        return "{\"secret\":true}";
    }

    @GET
    @Path("async")
    public void async(@Suspended AsyncResponse response) {
        LATER.schedule(() -> response.resume("{\"async\":true}"), MatrixPaths.ASYNC_DELAY_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Never resumed: Jersey answers 503 when the timeout passes. */
    @GET
    @Path("async-timeout")
    public void asyncTimeout(@Suspended AsyncResponse response) {
        response.setTimeout(MatrixPaths.ASYNC_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @GET
    @Path("boom")
    public String boom() {
        throw new IllegalStateException("boom (thrown on purpose by the matrix app)");
    }
}
