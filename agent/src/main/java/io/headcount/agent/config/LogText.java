package io.headcount.agent.config;

/**
 * Makes outside text safe for the one log line an error becomes: a value from a file or an
 * environment variable may hold line breaks or be very long.
 */
final class LogText {
    private static final int MAX_CHARS = 200;

    private LogText() {
    }

    /** The text in single quotes, control characters escaped, cut after 200 characters. */
    static String quote(String text) {
        return "'" + oneLine(text) + "'";
    }

    /** The text with control and line-separator characters escaped, cut after 200 characters. */
    static String oneLine(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 8);
        int limit = Math.min(text.length(), MAX_CHARS);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029 || isBidiControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > MAX_CHARS) {
            out.append("...");
        }
        return out.toString();
    }

    /** Marks and overrides that reorder the text around them: printed raw, a value could make a line read otherwise. */
    private static boolean isBidiControl(char c) {
        return c == 0x200e || c == 0x200f || c == 0x061c || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
    }
}
