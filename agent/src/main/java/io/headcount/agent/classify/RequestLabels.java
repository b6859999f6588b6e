package io.headcount.agent.classify;

import java.util.Set;

/** The {@code method} and {@code status_class} labels. Pure. */
public final class RequestLabels {
    public static final String OTHER_METHOD = "OTHER";
    private static final Set<String> STANDARD_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private RequestLabels() {
    }

    /** A standard method as sent (methods are case-sensitive), anything else {@code OTHER}. */
    public static String method(String method) {
        return method != null && STANDARD_METHODS.contains(method) ? method : OTHER_METHOD;
    }

    /** {@code 1xx} to {@code 5xx}; a status outside 100-599 is the server's fault, {@code 5xx}. */
    public static String statusClass(int status) {
        return status >= 100 && status <= 599 ? STATUS_CLASSES[status / 100 - 1] : "5xx";
    }
}
