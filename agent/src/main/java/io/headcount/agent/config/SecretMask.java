package io.headcount.agent.config;

/**
 * Hides the password in a Redis URI before it is printed. Errs towards hiding too much: the
 * text may be malformed (it is being reported because it is wrong) or hold an unencoded
 * {@code @} or {@code /} in the password.
 */
public final class SecretMask {
    static final String MASK = "***";

    private SecretMask() {
    }

    /**
     * {@code redis://user:secret@host} becomes {@code redis://user:***@host}, and
     * {@code redis://secret@host} (Lettuce reads a lone user-info as the password) becomes
     * {@code redis://***@host}; a {@code password=} query parameter is hidden too. Text with
     * no credentials is returned as is; null stays null.
     */
    public static String maskPassword(String uri) {
        if (uri == null) {
            return null;
        }
        String masked = maskUserInfo(uri);
        return maskPasswordParameter(masked);
    }

    private static String maskUserInfo(String uri) {
        int schemeEnd = uri.indexOf("://");
        int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        // The last '@' ends the user-info even when the password holds an unencoded '@' or '/'.
        int at = uri.lastIndexOf('@');
        if (at < start) {
            return uri;
        }
        String userInfo = uri.substring(start, at);
        int colon = userInfo.indexOf(':');
        String kept = colon < 0 ? "" : userInfo.substring(0, colon + 1);
        return uri.substring(0, start) + kept + MASK + uri.substring(at);
    }

    private static String maskPasswordParameter(String uri) {
        String lower = uri.toLowerCase(java.util.Locale.ROOT);
        StringBuilder out = new StringBuilder(uri.length());
        int from = 0;
        int found;
        while ((found = lower.indexOf("password=", from)) >= 0) {
            boolean startsParameter = found > 0
                    && (lower.charAt(found - 1) == '?' || lower.charAt(found - 1) == '&');
            int valueStart = found + "password=".length();
            if (!startsParameter) {
                out.append(uri, from, valueStart);
                from = valueStart;
                continue;
            }
            int valueEnd = valueStart;
            while (valueEnd < uri.length() && uri.charAt(valueEnd) != '&' && uri.charAt(valueEnd) != '#') {
                valueEnd++;
            }
            out.append(uri, from, valueStart).append(MASK);
            from = valueEnd;
        }
        return out.append(uri, from, uri.length()).toString();
    }
}
