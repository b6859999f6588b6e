package io.headcount.agent.classify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads uap-core's test files: {@code test_cases:} followed by items of one-line
 * {@code key: scalar} pairs, an item starting with {@code - }. Scalars are single-quoted
 * ({@code ''} is a quote, backslashes are plain), double-quoted (backslash escapes) or plain
 * (empty or {@code ~} is null). Anything else fails loudly, so that a changed format cannot be
 * misread quietly.
 */
final class UapYaml {
    private UapYaml() {
    }

    static List<Map<String, String>> read(Path file) throws IOException {
        List<Map<String, String>> cases = new ArrayList<>();
        Map<String, String> current = null;
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.equals("test_cases:")) {
                continue;
            }
            if (trimmed.startsWith("- ")) {
                current = new LinkedHashMap<>();
                cases.add(current);
                trimmed = trimmed.substring(2).trim();
            }
            if (current == null) {
                throw new IOException(file + ":" + lineNumber + ": a key outside any case");
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || !trimmed.substring(0, colon).matches("[a-z_]+")) {
                throw new IOException(file + ":" + lineNumber + ": not a 'key: value' line: " + line);
            }
            String key = trimmed.substring(0, colon);
            current.put(key, scalar(trimmed.substring(colon + 1).trim(), file + ":" + lineNumber));
        }
        return cases;
    }

    static String scalar(String text, String where) throws IOException {
        if (text.isEmpty() || text.equals("~") || text.equals("null")) {
            return null;
        }
        char first = text.charAt(0);
        if (first == '\'') {
            StringBuilder out = new StringBuilder();
            int i = 1;
            while (true) {
                if (i >= text.length()) {
                    throw new IOException(where + ": unterminated single-quoted string");
                }
                char c = text.charAt(i);
                if (c == '\'') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        out.append('\'');
                        i += 2;
                        continue;
                    }
                    trailing(text, i + 1, where);
                    return out.toString();
                }
                out.append(c);
                i++;
            }
        }
        if (first == '"') {
            StringBuilder out = new StringBuilder();
            int i = 1;
            while (true) {
                if (i >= text.length()) {
                    throw new IOException(where + ": unterminated double-quoted string");
                }
                char c = text.charAt(i);
                if (c == '"') {
                    trailing(text, i + 1, where);
                    return out.toString();
                }
                if (c == '\\') {
                    if (i + 1 >= text.length()) {
                        throw new IOException(where + ": dangling backslash");
                    }
                    char e = text.charAt(++i);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case '0' -> out.append('\0');
                        case '"', '\\', '/', ' ' -> out.append(e);
                        case 'x' -> {
                            out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                            i += 2;
                        }
                        case 'u' -> {
                            out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                            i += 4;
                        }
                        default -> throw new IOException(where + ": unknown escape \\" + e);
                    }
                    i++;
                    continue;
                }
                out.append(c);
                i++;
            }
        }
        if (text.contains(" #")) {
            text = text.substring(0, text.indexOf(" #")).trim();
        }
        return text;
    }

    private static void trailing(String text, int from, String where) throws IOException {
        String rest = text.substring(from).trim();
        if (!rest.isEmpty() && !rest.startsWith("#")) {
            throw new IOException(where + ": text after a quoted string: " + rest);
        }
    }
}
