package io.headcount.it.matrix;

import io.headcount.it.matrix.MatrixServer.Flavor;
import java.util.ArrayList;
import java.util.List;

/**
 * What every matrix app is asked, what it must answer (as it does without the agent) and where the
 * agent must count it. One client sends it all: a Chrome on Windows behind a trusted proxy.
 */
final class MatrixTraffic {
    static final String API_KEY_HEADER = "X-Api-Key";
    private static final String USER_42 = "{\"id\":42,\"name\":\"User 42\"}";
    private static final String USER_7 = "{\"id\":7,\"name\":\"User 7\"}";
    private static final String ERROR_PAGE_500 = "{\"error\":500,\"dispatch\":\"ERROR\"}";

    private MatrixTraffic() {
    }

    /** An expected answer body: all of it, or a part that must be in it (for bodies with a timestamp). */
    record Body(String text, boolean whole) {
        boolean matches(String actual) {
            return whole ? text.equals(actual) : actual.contains(text);
        }
    }

    /**
     * One request and what must come of it.
     *
     * @param body the answer's body; null: not checked (a container's own error page)
     * @param shows what the request shows about the agent, for the compatibility table; null: nothing new
     */
    record Call(String method, String path, boolean apiKey, int status, Body body, String endpoint, String shows) {
        String statusClass() {
            return (status / 100) + "xx";
        }

        String request() {
            return method + " " + path + (apiKey ? " (with " + API_KEY_HEADER + ")" : "");
        }
    }

    static List<Call> of(Flavor flavor) {
        boolean servlet = flavor == Flavor.SERVLET;
        boolean spring = flavor == Flavor.SPRING_MVC;
        boolean jaxRs = flavor == Flavor.JAX_RS;
        List<Call> calls = new ArrayList<>();
        calls.add(get("/api/users/42", 200, whole(USER_42), "/api/users/{id}",
                servlet ? "an ID segment becomes {id}" : "the framework's route template"));
        calls.add(get("/api/users/43", 200, whole("{\"id\":43,\"name\":\"User 43\"}"), "/api/users/{id}", null));
        calls.add(new Call("POST", "/api/users/42", false, 405, null, "/api/users/{id}",
                "a method the route does not take"));
        calls.add(get("/api/secret", 401, spring ? part("\"status\":401") : null, "/api/secret",
                "a filter's own 401, counted once"));
        calls.add(new Call("GET", "/api/secret", true, 200, whole("{\"secret\":true}"), "/api/secret",
                "the filter letting a request through"));
        calls.add(get("/api/forward", 200, whole(USER_7), "/api/forward",
                "a forward, counted once under the path asked for"));
        // Jersey resolves an included request by the including request's own path, finds no
        // resource there, and the include adds nothing: Jersey's behaviour, with or without the agent.
        calls.add(get("/api/include", 200,
                whole(jaxRs ? "{\"included\":}" : "{\"included\":" + USER_7 + "}"), "/api/include",
                "an include, counted once"));
        calls.add(get("/api/async", 200, whole("{\"async\":true}"), "/api/async",
                "an async request, counted at completion with its full duration"));
        calls.add(get("/api/async-timeout", servlet ? 500 : 503,
                servlet ? whole(ERROR_PAGE_500) : spring ? part("\"status\":503") : null, "/api/async-timeout",
                "an async timeout, counted as 5xx"));
        if (servlet) {
            calls.add(get("/api/async-timeout-answered", 204, null, "/api/async-timeout-answered",
                    "an async timeout the app answers itself (a long poll's 204), counted with its answer"));
        }
        calls.add(get("/api/boom", 500, spring ? part("\"status\":500") : whole(ERROR_PAGE_500), "/api/boom",
                "an exception, answered by the error page, counted once"));
        calls.add(get("/nope/x", 404, null, "not_found",
                spring ? "a 404 that Spring matched to /**: not_found" : "a 404 of the container: not_found"));
        // Jersey matches its templates against the path as sent, still encoded: {id: [0-9]+} fails.
        calls.add(jaxRs
                ? get("/api/users/%34%32", 404, null, "not_found", "JAX-RS matches the encoded path: its 404, not_found")
                : get("/api/users/%34%32", 200, whole(USER_42), "/api/users/{id}",
                        "another spelling of a path: counted as the path the container decoded"));
        // Spring answers these itself (404 through /**); the others' default servlet answers them.
        calls.add(new Call("OPTIONS", "/nope/x", false, spring ? 404 : 200, null, "not_found",
                spring ? "another method on a random path: not_found"
                        : "the default servlet's answer to another method on a random path: not_found"));
        calls.add(new Call("PUT", "/nope/y", false, spring ? 404 : 405, null, "not_found", null));
        if (spring) {
            calls.add(get("/owners/ada", 200, whole("{\"owner\":\"ada\"}"), "/owners/{ownerId}",
                    "a route template the path rules could not guess"));
        }
        if (jaxRs) {
            calls.add(get("/api/owners/ada", 200, whole("{\"owner\":\"ada\"}"), "/api/owners/{ownerId}",
                    "a route template the path rules could not guess"));
            calls.add(get("/api/nope", 404, null, "not_found", "a 404 of JAX-RS: not_found"));
        }
        return calls;
    }

    private static Call get(String path, int status, Body body, String endpoint, String shows) {
        return new Call("GET", path, false, status, body, endpoint, shows);
    }

    private static Body whole(String body) {
        return new Body(body, true);
    }

    private static Body part(String body) {
        return new Body(body, false);
    }
}
