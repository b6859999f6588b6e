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
 * {@code /shop}. The path is the one the container resolved ({@link RequestPaths#resolve}), the
 * same one the endpoint label comes from, so that {@code /health/../api/users} or
 * {@code /metrics;/../api} count as the {@code /api} requests the app served.
 */
public final class PathExclusions {
    private final Glob[] globs;

    public PathExclusions(List<String> globs) {
        List<String> kept = new ArrayList<>();
        if (globs != null) {
            for (String glob : globs) {
                if (glob != null && !glob.trim().isEmpty()) {
                    kept.add(glob.trim());
                }
            }
        }
        this.globs = new Glob[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            this.globs[i] = new Glob(kept.get(i));
        }
    }

    /**
     * @param context the resolved context path ({@link RequestPaths#context})
     * @param path the resolved request path ({@link RequestPaths#resolve}); null for one that a
     *     container would reject, which only a bare {@code *} excludes
     */
    public boolean excludes(String context, String path) {
        if (globs.length == 0) {
            return false;
        }
        if (path == null) {
            path = "";
        }
        if (context == null) {
            context = "";
        }
        String withinContext = null;
        if (!context.isEmpty() && path.startsWith(context)
                && (path.length() == context.length() || path.charAt(context.length()) == '/')) {
            withinContext = path.length() == context.length() ? "/" : path.substring(context.length());
        }
        for (Glob glob : globs) {
            if (glob.matches(path) || (withinContext != null && glob.matches(withinContext))) {
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

    /**
     * One glob, with the two shapes most are (the defaults {@code /health*} and
     * {@code /favicon.ico}) told apart beforehand: a literal is compared, a literal followed by one
     * '*' is a prefix. The worker asks every glob for every request, and the general matcher spent
     * about 8 ns a glob setting out to fail at the first character.
     */
    private static final class Glob {
        private final String glob;
        /** The glob without its last '*' when that is its only wildcard, the glob when it has none, else null. */
        private final String literal;
        private final boolean prefix;

        Glob(String glob) {
            this.glob = glob;
            int star = glob.indexOf('*');
            boolean wild = glob.indexOf('?') >= 0 || star >= 0 && star < glob.length() - 1;
            this.prefix = !wild && star == glob.length() - 1;
            this.literal = wild ? null : prefix ? glob.substring(0, star) : glob;
        }

        boolean matches(String text) {
            if (literal == null) {
                return PathExclusions.matches(glob, text);
            }
            return prefix ? text.startsWith(literal) : text.equals(literal);
        }
    }
}
