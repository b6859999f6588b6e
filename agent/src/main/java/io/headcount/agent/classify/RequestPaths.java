package io.headcount.agent.classify;

/** Small pure helpers over raw request paths, shared by the endpoint and exclusion rules. */
final class RequestPaths {
    private RequestPaths() {
    }

    /**
     * The path without query, fragment and {@code ;parameters} (such as {@code ;jsessionid=...})
     * of each segment, with runs of '/' collapsed to one. Nothing is percent-decoded. Null gives "".
     */
    static String clean(String rawPath) {
        if (rawPath == null) {
            return "";
        }
        if (alreadyClean(rawPath)) {
            // The common case, on the worker for every request: no copy.
            return rawPath;
        }
        int end = rawPath.length();
        int query = rawPath.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = rawPath.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        StringBuilder out = new StringBuilder(end);
        boolean inParameters = false;
        for (int i = 0; i < end; i++) {
            char c = rawPath.charAt(i);
            if (c == '/') {
                inParameters = false;
                if (out.length() > 0 && out.charAt(out.length() - 1) == '/') {
                    continue;
                }
                out.append(c);
            } else if (c == ';') {
                inParameters = true;
            } else if (!inParameters) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean alreadyClean(String path) {
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '?' || c == '#' || c == ';' || (c == '/' && previous == '/')) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** The context path as the servlet API means it: "" for the root, no trailing '/'. */
    static String context(String contextPath) {
        if (contextPath == null) {
            return "";
        }
        String cleaned = clean(contextPath);
        while (cleaned.endsWith("/")) {
            cleaned = cleaned.substring(0, cleaned.length() - 1);
        }
        if (!cleaned.isEmpty() && cleaned.charAt(0) != '/') {
            cleaned = "/" + cleaned;
        }
        return cleaned;
    }
}
