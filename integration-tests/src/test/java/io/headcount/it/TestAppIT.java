package io.headcount.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.AppProcess;
import io.headcount.it.harness.Http;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The test app on its own, without the agent: the baseline the agent tests compare against, so that
 * a failure there points at the agent and not at the app.
 */
class TestAppIT {
    private static AppProcess app;
    private final Http http = new Http();

    @BeforeAll
    static void startApp() {
        app = AppProcess.named("test-app-without-agent").appArgs("--http-server-port", "0").start();
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void usersAreListedAndShownByNumericId() {
        assertAnswer(200, "[{\"id\":1,\"name\":\"User 1\"},{\"id\":2,\"name\":\"User 2\"},{\"id\":3,\"name\":\"User 3\"}]",
                "/api/users");
        assertAnswer(200, "{\"id\":42,\"name\":\"User 42\"}", "/api/users/42");
        assertEquals(404, status("/api/users/0"));
        assertEquals(404, status("/api/users/abc"));
    }

    @Test
    void ordersAreShownByUuidAndCreatedByPost() {
        assertAnswer(200, "{\"id\":\"3f1c2a4e-7b5d-4e8f-9a0b-1c2d3e4f5a6b\",\"status\":\"shipped\",\"items\":2}",
                "/api/orders/3f1c2a4e-7b5d-4e8f-9a0b-1c2d3e4f5a6b");
        assertEquals(404, status("/api/orders/not-an-order"));
        HttpResponse<String> created = http.request("POST", app.url("/api/orders")).body("{}").send();
        assertEquals(201, created.statusCode());
        assertTrue(created.headers().firstValue("Location").orElse("").startsWith("/api/orders/"));
    }

    @Test
    void productsLiveInTheShopContext() {
        assertAnswer(200, "{\"id\":7,\"name\":\"Product 7\",\"context\":\"/shop\"}", "/shop/products/7");
        assertEquals(404, status("/shop/products/0"));
        assertEquals(404, status("/shop/nothing-here"));
    }

    @Test
    void anExceptionEscapingTheServletBecomesA500() {
        assertEquals(500, status("/api/boom"));
    }

    @Test
    void forwardAndIncludeServeTheUsersList() {
        String users = http.get(app.url("/api/users")).send().body();
        assertAnswer(200, users, "/api/forward");
        assertAnswer(200, "{\"included\":" + users + "}", "/api/include");
    }

    @Test
    void staticPageHealthAndUnknownPaths() {
        HttpResponse<String> page = http.get(app.url("/index.html")).send();
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Headcount test app</title>"), page.body());
        assertAnswer(200, "ok", "/health");
        assertEquals(404, status("/robots.txt"));
        assertEquals(501, http.request("BREW", app.url("/api/users")).status());
    }

    @Test
    void jdkHttpServerSettingsAreUnsetAndItsServerAnswers() {
        assertAnswer(200, "{\"sun.net.httpserver.maxReqTime\":null,\"sun.net.httpserver.maxRspTime\":null}",
                "/api/sysprops");
        assertEquals("pong", http.get("http://127.0.0.1:" + app.pingPort() + "/ping").send().body());
    }

    @Test
    void nothingIsWrittenToStderrWhileServing() {
        http.get(app.url("/api/users")).send();
        assertEquals(List.of(), app.stderrLines().stream()
                .filter(line -> !line.contains("servlet [boom]")).toList());
    }

    private void assertAnswer(int status, String body, String path) {
        HttpResponse<String> response = http.get(app.url(path)).send();
        assertEquals(status, response.statusCode(), path);
        assertEquals(body, response.body(), path);
    }

    private int status(String path) {
        return http.get(app.url(path)).status();
    }
}
