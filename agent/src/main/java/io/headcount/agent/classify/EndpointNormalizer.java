package io.headcount.agent.classify;

/** The contract's endpoint label of one request, before the {@code endpoint.max} cap. Pure. */
public final class EndpointNormalizer {
    public static final String NOT_FOUND = "not_found";

    private EndpointNormalizer() {
    }

    /**
     * @param contextPath the servlet context path ("" for the root context), may be null
     * @param requestUri the raw request URI, without the query (may carry ;path parameters)
     * @param route the framework's route template relative to the context, or null
     * @param status the response status
     */
    public static String normalize(String contextPath, String requestUri, String route, int status) {
        throw new UnsupportedOperationException("TODO");
    }
}
