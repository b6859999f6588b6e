package io.headcount.agent.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code exclude.user-agents} prefixes: a request whose User-Agent starts with one of them, in
 * any case and after leading white space, is not counted at all. Prefixes, not substrings: health
 * checkers name themselves first ({@code kube-probe/1.29}, {@code ELB-HealthChecker/2.0}), and a
 * browser that mentions one further on is still a browser. Immutable, thread-safe.
 */
public final class UserAgentExclusions {
    private final String[] prefixes;

    public UserAgentExclusions(List<String> prefixes) {
        List<String> kept = new ArrayList<>();
        if (prefixes != null) {
            for (String prefix : prefixes) {
                if (prefix != null && !prefix.trim().isEmpty()) {
                    kept.add(prefix.trim());
                }
            }
        }
        this.prefixes = kept.toArray(new String[0]);
    }

    public boolean excludes(String userAgent) {
        if (userAgent == null || prefixes.length == 0) {
            return false;
        }
        int start = 0;
        while (start < userAgent.length() && Character.isWhitespace(userAgent.charAt(start))) {
            start++;
        }
        for (String prefix : prefixes) {
            if (userAgent.regionMatches(true, start, prefix, 0, prefix.length())) {
                return true;
            }
        }
        return false;
    }
}
