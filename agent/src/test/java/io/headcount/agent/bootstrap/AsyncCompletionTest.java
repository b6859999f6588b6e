package io.headcount.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A request that went asynchronous, counted once when it ends, with what it ended with. */
class AsyncCompletionTest {
    private final EventQueue queue = new EventQueue(8);
    private final Map<String, Object> attributes = new HashMap<>();
    private final List<AsyncListener> listeners = new ArrayList<>();
    private int status = 200;
    private long adviceErrorsBefore;

    @BeforeEach
    void install() {
        HeadcountSink.install(queue);
        adviceErrorsBefore = HeadcountSink.adviceErrors();
    }

    @AfterEach
    void uninstall() {
        HeadcountSink.install(null);
    }

    @Test
    void countedOnCompletionWithTheFinalStatusAndRoutes() throws Exception {
        RequestEvent event = startAsync();
        assertNull(queue.poll());
        status = 201;
        attributes.put(RouteTemplates.SPRING_ATTRIBUTE, "/api/orders/{id}");
        listeners.get(0).onComplete(null);
        listeners.get(0).onComplete(null); // some containers report the end twice
        assertEquals(event, queue.poll());
        assertNull(queue.poll());
        assertEquals(201, event.status);
        assertEquals("/api/orders/{id}", event.springRoute);
        assertNull(event.firstRoute);
        assertEquals(0, HeadcountSink.adviceErrors() - adviceErrorsBefore);
    }

    @Test
    void anErrorCountsAs500UnlessTheAnswerIsAnErrorAlready() throws Exception {
        RequestEvent event = startAsync();
        listeners.get(0).onError(null);
        listeners.get(0).onComplete(null);
        assertEquals(500, queue.poll().status);
        assertEquals(500, event.status);
        listeners.clear();
        startAsync();
        status = 503;
        listeners.get(0).onError(null);
        listeners.get(0).onComplete(null);
        assertEquals(503, queue.poll().status);
    }

    @Test
    void aTimeoutCountsWithTheFinalStatusWhoeverSetIt() throws Exception {
        startAsync();
        status = 204; // a long poll that answers its own timeout
        listeners.get(0).onTimeout(null);
        listeners.get(0).onComplete(null);
        assertEquals(204, queue.poll().status);
        listeners.clear();
        startAsync();
        status = 500; // the container's answer to a timeout nobody answered
        listeners.get(0).onTimeout(null);
        listeners.get(0).onComplete(null);
        assertEquals(500, queue.poll().status);
    }

    @Test
    void aNewAsyncCycleTakesTheListenerAlong() throws Exception {
        startAsync();
        listeners.get(0).onStartAsync(null);
        assertEquals(2, listeners.size());
        listeners.get(1).onComplete(null);
        assertEquals(200, queue.poll().status);
    }

    private RequestEvent startAsync() {
        RequestEvent event = new RequestEvent();
        event.method = "GET";
        event.requestUri = "/api/orders/7";
        AsyncContext context = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AsyncContext.class}, (self, called, args) -> {
                    if (called.getName().equals("addListener")) {
                        listeners.add((AsyncListener) args[0]);
                    }
                    return null;
                });
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (self, called, args) -> called.getName().equals("getAttribute")
                        ? attributes.get((String) args[0]) : called.getName().equals("getAsyncContext") ? context : null);
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (self, called, args) -> status);
        HeadcountSink.recordWhenComplete(event, request, response, AsyncListener.class, System.nanoTime());
        assertEquals(1, listeners.size());
        return event;
    }
}
