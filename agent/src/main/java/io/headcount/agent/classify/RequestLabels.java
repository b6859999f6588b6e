package io.headcount.agent.classify;

import java.util.Map;

/** The {@code method} and {@code status_class} labels. Pure. */
public final class RequestLabels {
    public static final String OTHER_METHOD = "OTHER";
    /** Each standard method to its one instance here, so that no label holds a request's own string. */
    private static final Map<String, String> STANDARD_METHODS = Map.of("GET", "GET", "HEAD", "HEAD", "POST", "POST",
            "PUT", "PUT", "DELETE", "DELETE", "CONNECT", "CONNECT", "OPTIONS", "OPTIONS", "TRACE", "TRACE", "PATCH", "PATCH");
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private RequestLabels() {
    }

    /** A standard method as sent (methods are case-sensitive), anything else {@code OTHER}. */
    public static String method(String method) {
        String standard = method == null ? null : STANDARD_METHODS.get(method);
        return standard != null ? standard : OTHER_METHOD;
    }

    /** {@code 1xx} to {@code 5xx}; a status outside 100-599 is the server's fault, {@code 5xx}. */
    public static String statusClass(int status) {
        return status >= 100 && status <= 599 ? STATUS_CLASSES[status / 100 - 1] : "5xx";
    }
}
