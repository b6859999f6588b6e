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
 * Writes the shipped pattern resource from crawler-user-agents.json, and reads that JSON for the
 * tests. A single file with no dependencies, so that it also runs as
 * {@code java CrawlerPatternsGenerator.java <json> <resource>}.
 */
public final class CrawlerPatternsGenerator {
    static final String SOURCE_COMMIT = "7c7f9f254f16fcbc7d0fcb60d0a188897c00b050";

    static final String HEADER = String.join("\n",
            "# Bot and crawler User-Agent patterns (Java regular expressions), one per line, in the order of",
            "# their source: the \"pattern\" fields of crawler-user-agents.json from",
            "# https://github.com/monperrus/crawler-user-agents at commit " + SOURCE_COMMIT + ".",
            "# Copyright (c) 2017 Martin Monperrus; MIT License, see META-INF/LICENSE-crawler-user-agents.txt.",
            "# Lines starting with '#' are comments. Every other line is a pattern, exactly as written, leading",
            "# and trailing spaces included (they matter: keep editors from trimming them).",
            "# Regenerate: java agent/src/test/java/io/headcount/agent/classify/CrawlerPatternsGenerator.java \\",
            "#   ../shared/corpus/crawler-user-agents/crawler-user-agents.json \\",
            "#   agent/src/main/resources/io/headcount/agent/classify/crawler-user-agents.txt",
            "# CrawlerPatternsResourceTest checks that this file matches the JSON.",
            "");

    private CrawlerPatternsGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java CrawlerPatternsGenerator.java <crawler-user-agents.json> <output.txt>");
            System.exit(2);
        }
        Files.writeString(Path.of(args[1]), resourceText(entries(Path.of(args[0]))), StandardCharsets.UTF_8);
    }

    /** The resource's full text for these entries. */
    static String resourceText(List<Map<String, Object>> entries) {
        StringBuilder out = new StringBuilder(HEADER);
        for (Map<String, Object> entry : entries) {
            String pattern = (String) entry.get("pattern");
            if (pattern.isEmpty() || pattern.startsWith("#") || pattern.contains("\n") || pattern.contains("\r")) {
                throw new IllegalArgumentException("pattern cannot be one resource line: " + pattern);
            }
            out.append(pattern).append('\n');
        }
        return out.toString();
    }

    /** The JSON array's objects. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> entries(Path json) throws IOException {
        Object parsed = new Json(Files.readString(json, StandardCharsets.UTF_8)).document();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : (List<Object>) parsed) {
            out.add((Map<String, Object>) item);
        }
        return out;
    }

    /** Just enough JSON: objects, arrays, strings with every escape, numbers, true, false, null. */
    static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object document() {
            Object value = value();
            space();
            if (at != text.length()) {
                throw error("text after the document");
            }
            return value;
        }

        private Object value() {
            space();
            if (at >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(at);
            if (c == '{') {
                Map<String, Object> object = new LinkedHashMap<>();
                at++;
                space();
                if (peek('}')) {
                    return object;
                }
                do {
                    space();
                    String key = string();
                    space();
                    expect(':');
                    object.put(key, value());
                    space();
                } while (peek(','));
                expect('}');
                return object;
            }
            if (c == '[') {
                List<Object> array = new ArrayList<>();
                at++;
                space();
                if (peek(']')) {
                    return array;
                }
                do {
                    array.add(value());
                    space();
                } while (peek(','));
                expect(']');
                return array;
            }
            if (c == '"') {
                return string();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (text.startsWith(word, at)) {
                    at += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            if (start == at) {
                throw error("unexpected character");
            }
            return Double.valueOf(text.substring(start, at));
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = text.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        private void space() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private boolean peek(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON: " + what + " at offset " + at);
        }
    }
}
