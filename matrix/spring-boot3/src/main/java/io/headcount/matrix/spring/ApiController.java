package io.headcount.matrix.spring;

import io.headcount.matrix.app.MatrixPaths;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/** The API of the matrix app in Spring MVC, plus an owner page with a template in the style of PetClinic. */
@RestController
public class ApiController {
    private static final String JSON = "application/json";
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "matrix-async");
        thread.setDaemon(true);
        return thread;
    });

    @GetMapping(path = "/api/users/{id}", produces = JSON)
    public String user(@PathVariable("id") long id) {
        return "{\"id\":" + id + ",\"name\":\"User " + id + "\"}";
    }

    @GetMapping(path = "/owners/{ownerId}", produces = JSON)
    public String owner(@PathVariable("ownerId") String ownerId) {
        return "{\"owner\":\"" + ownerId.replaceAll("[^A-Za-z0-9]", "") + "\"}";
    }

    /** Reached only through {@link ApiKeyFilter}. */
    @GetMapping(path = "/api/secret", produces = JSON)
    public String secret() {
        return "{\"secret\":true}";
    }

    @GetMapping(path = "/api/async", produces = JSON)
    public DeferredResult<String> async() {
        DeferredResult<String> result = new DeferredResult<>();
        later.schedule(() -> result.setResult("{\"async\":true}"), MatrixPaths.ASYNC_DELAY_MILLIS,
                TimeUnit.MILLISECONDS);
        return result;
    }

    /** Never set: Spring answers 503 when the timeout passes. */
    @GetMapping(path = "/api/async-timeout", produces = JSON)
    public DeferredResult<String> asyncTimeout() {
        return new DeferredResult<>(MatrixPaths.ASYNC_TIMEOUT_MILLIS);
    }

    @GetMapping("/api/boom")
    public String boom() {
        throw new IllegalStateException("boom (thrown on purpose by the matrix app)");
    }
}
