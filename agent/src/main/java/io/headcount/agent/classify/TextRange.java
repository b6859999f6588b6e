package io.headcount.agent.classify;

/**
 * Trimming and searching within part of a string, by index: the worker reads pieces of headers
 * where they stand instead of copying them first. Never looks outside the part it is given. Pure.
 */
final class TextRange {
    private TextRange() {
    }

    /** The first index from {@code from} whose character {@link String#trim} would keep, or {@code to}. */
    static int trimStart(String text, int from, int to) {
        int start = from;
        while (start < to && text.charAt(start) <= ' ') {
            start++;
        }
        return start;
    }

    /** The end, at most {@code to}, after the last character from {@code from} that {@link String#trim} would keep, or {@code from}. */
    static int trimEnd(String text, int from, int to) {
        int end = to;
        while (end > from && text.charAt(end - 1) <= ' ') {
            end--;
        }
        return end;
    }

    /** Whether the characters from {@code from} to {@code to} are all what {@link String#trim} removes. */
    static boolean isBlank(String text, int from, int to) {
        return trimStart(text, from, to) == to;
    }

    /**
     * The first {@code c} from {@code from} up to {@code to}, or -1. {@code String.indexOf} would read
     * on to the string's end, once for every entry of a header.
     */
    static int indexOf(String text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
