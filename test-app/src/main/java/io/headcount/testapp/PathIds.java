package io.headcount.testapp;

import java.util.UUID;

/** Reads the one ID segment that follows a servlet's path mapping, as in {@code /api/users/42}. */
final class PathIds {
    private PathIds() {
    }

    /** The segment after the mapping, or null when there is none ({@code null} or {@code "/"}). */
    static String single(String pathInfo) {
        if (pathInfo == null || pathInfo.equals("/")) {
            return null;
        }
        return pathInfo.substring(1);
    }

    /** True for 1, 2, 3 ... written in decimal digits only; 0 is the ID that never exists. */
    static boolean isPositiveNumber(String segment) {
        if (segment.isEmpty() || segment.length() > 18) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return Long.parseLong(segment) > 0;
    }

    static boolean isUuid(String segment) {
        try {
            return UUID.fromString(segment).toString().equalsIgnoreCase(segment);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
