package io.headcount.agent.classify;

/**
 * Which captured versions may become a {@code version} label value: numbers only, two to four of
 * them separated by dots ({@code 1.2}, {@code 1.2.3}, {@code 2024.1.15.7}), each of 1 to 8 digits,
 * optionally followed by a short pre-release suffix: {@code -} and 1 to 16 letters, digits and
 * dots, starting with a letter or digit ({@code 1.2.3-rc.1}, {@code 2.0.0-SNAPSHOT}). Nothing else:
 * no leading {@code v}, no build metadata ({@code +sha}), no spaces; at most
 * {@value #MAX_LENGTH} characters. A pure function.
 */
public final class ClientVersion {
    public static final int MAX_LENGTH = 52;
    private static final int MAX_DIGITS = 8;
    private static final int MAX_NUMBERS = 4;
    private static final int MAX_SUFFIX = 16;

    private ClientVersion() {
    }

    public static boolean wellFormed(String version) {
        if (version == null || version.isEmpty() || version.length() > MAX_LENGTH) {
            return false;
        }
        int i = 0;
        int numbers = 0;
        int length = version.length();
        while (true) {
            int digitsStart = i;
            while (i < length && isDigit(version.charAt(i))) {
                i++;
            }
            int digits = i - digitsStart;
            if (digits == 0 || digits > MAX_DIGITS) {
                return false;
            }
            numbers++;
            if (i < length && version.charAt(i) == '.' && numbers < MAX_NUMBERS) {
                i++;
                continue;
            }
            break;
        }
        if (numbers < 2) {
            return false;
        }
        if (i == length) {
            return true;
        }
        if (version.charAt(i) != '-') {
            return false;
        }
        String suffix = version.substring(i + 1);
        if (suffix.isEmpty() || suffix.length() > MAX_SUFFIX || suffix.charAt(0) == '.'
                || suffix.charAt(suffix.length() - 1) == '.' || suffix.contains("..")) {
            return false;
        }
        for (int s = 0; s < suffix.length(); s++) {
            char c = suffix.charAt(s);
            if (!isDigit(c) && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
