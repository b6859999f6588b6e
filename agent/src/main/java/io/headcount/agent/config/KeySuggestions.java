package io.headcount.agent.config;

import java.util.List;
import java.util.Locale;

/** Finds the known key an operator probably meant when a key is unknown. */
final class KeySuggestions {
    private static final int MAX_DISTANCE = 2;
    private static final String PREFIX = "headcount";

    private KeySuggestions() {
    }

    /**
     * The candidate that equals the typed key once case, {@code - . _} and a leading
     * {@code headcount} prefix are ignored; else the candidate closest by edit distance, if at
     * most 2 edits away (the earlier candidate on a tie); else null.
     */
    static String closest(String typed, List<String> candidates) {
        String normalizedTyped = normalize(typed);
        for (String candidate : candidates) {
            if (normalize(candidate).equals(normalizedTyped)) {
                return candidate;
            }
        }
        String lowerTyped = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : candidates) {
            int distance = Math.min(levenshtein(lowerTyped, candidate),
                    levenshtein(normalizedTyped, normalize(candidate)));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Lower case without {@code - . _}, and without a leading {@code headcount} prefix. */
    static String normalize(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c != '-' && c != '.' && c != '_') {
                out.append(Character.toLowerCase(c));
            }
        }
        String normalized = out.toString();
        if (normalized.startsWith(PREFIX) && normalized.length() > PREFIX.length()) {
            return normalized.substring(PREFIX.length());
        }
        return normalized;
    }

    /** The edit distance, or more than {@value #MAX_DISTANCE} as soon as the lengths alone say so. */
    static int levenshtein(String a, String b) {
        if (Math.abs(a.length() - b.length()) > MAX_DISTANCE) {
            return MAX_DISTANCE + 1;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
