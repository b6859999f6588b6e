package io.headcount.agent.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Splits the agent argument string into key/value pairs. Pairs are separated by commas, and
 * list values hold commas too, so a comma-separated piece starts a new pair only when it begins
 * with a key-like name and {@code =}; any other piece continues the previous value
 * ({@code trusted-proxies=10.0.0.0/8,192.168.0.0/16,port=9000} is two pairs). Requiring a
 * key-like name lets a Redis URI keep its {@code ?timeout=10s} and sentinel host list.
 */
final class AgentArguments {
    static final String SOURCE = "agent argument";
    private static final Pattern KEY_LIKE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String ALLOWED =
            "key=value pairs separated by commas, such as port=9500,exclude.paths=/health*,/internal/*";

    private AgentArguments() {
    }

    /** @return the pairs in the order given, values untrimmed; empty for null or blank text */
    static Map<String, String> parse(String text) throws InvalidSettingsException {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (text == null || text.trim().isEmpty()) {
            return pairs;
        }
        String currentKey = null;
        StringBuilder currentValue = new StringBuilder();
        for (String piece : text.split(",", -1)) {
            String key = keyOf(piece);
            if (key != null) {
                if (currentKey != null) {
                    put(pairs, currentKey, currentValue.toString());
                }
                currentKey = key;
                currentValue.setLength(0);
                currentValue.append(piece, piece.indexOf('=') + 1, piece.length());
            } else if (currentKey == null) {
                throw new InvalidSettingsException("Invalid agent argument "
                        + LogText.quote(SecretMask.maskPassword(piece)) + "; allowed: " + ALLOWED);
            } else {
                currentValue.append(',').append(piece);
            }
        }
        put(pairs, currentKey, currentValue.toString());
        return pairs;
    }

    /** The trimmed name before the first '=' when it looks like a key, else null. */
    private static String keyOf(String piece) {
        int equals = piece.indexOf('=');
        if (equals < 0) {
            return null;
        }
        String name = piece.substring(0, equals).trim();
        return KEY_LIKE.matcher(name).matches() ? name : null;
    }

    private static void put(Map<String, String> pairs, String key, String value)
            throws InvalidSettingsException {
        if (pairs.containsKey(key)) {
            throw new InvalidSettingsException("Setting " + LogText.quote(key) + " is given twice ("
                    + SOURCE + "); allowed: each key once");
        }
        pairs.put(key, value);
    }
}
