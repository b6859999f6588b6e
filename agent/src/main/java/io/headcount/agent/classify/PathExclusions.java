package io.headcount.agent.classify;

import java.util.List;

/** The {@code exclude.paths} globs: requests they match are not counted at all. Thread-safe. */
public final class PathExclusions {
    public PathExclusions(List<String> globs) {
        throw new UnsupportedOperationException("TODO");
    }

    public boolean excludes(String contextPath, String requestUri) {
        throw new UnsupportedOperationException("TODO");
    }
}
