package io.headcount.agent.classify;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code exclude.paths} globs: requests they match are not counted at all. Thread-safe.
 *
 * <p>In a glob, {@code *} matches any run of characters, '/' included, and {@code ?} exactly one;
 * every other character matches itself, case-sensitively. A request is excluded when a glob
 * matches its whole path (context path included) or its path within the context, so that
 * {@code /health*} excludes {@code /health} of the root app and {@code /shop/health} of the app in
 * {@code /shop}. The path is taken without query and {@code ;parameters}, with repeated '/'
 * collapsed, and is not percent-decoded (as for endpoint labels).
 */
public final class PathExclusions {
    private final String[] globs;

    public PathExclusions(List<String> globs) {
        List<String> kept = new ArrayList<>();
        if (globs != null) {
            for (String glob : globs) {
                if (glob != null && !glob.trim().isEmpty()) {
                    kept.add(glob.trim());
                }
            }
        }
        this.globs = kept.toArray(new String[0]);
    }

    public boolean excludes(String contextPath, String requestUri) {
        if (globs.length == 0) {
            return false;
        }
        String path = RequestPaths.clean(requestUri);
        if (path.isEmpty()) {
            path = "/";
        }
        String context = RequestPaths.context(contextPath);
        String withinContext = null;
        if (!context.isEmpty() && path.startsWith(context)
                && (path.length() == context.length() || path.charAt(context.length()) == '/')) {
            withinContext = path.length() == context.length() ? "/" : path.substring(context.length());
        }
        for (String glob : globs) {
            if (matches(glob, path) || (withinContext != null && matches(glob, withinContext))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Glob matching in O(glob x text) at worst: on a mismatch only the latest '*' is widened,
     * which is enough because '*' can swallow anything an earlier '*' could.
     */
    static boolean matches(String glob, String text) {
        int g = 0;
        int t = 0;
        int starAt = -1;
        int textAtStar = 0;
        while (t < text.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))
                    && glob.charAt(g) != '*') {
                g++;
                t++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                starAt = g++;
                textAtStar = t;
            } else if (starAt >= 0) {
                g = starAt + 1;
                t = ++textAtStar;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
