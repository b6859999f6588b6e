package io.headcount.agent.classify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The crawler-user-agents patterns (shipped as {@value #RESOURCE}) compiled into one matcher.
 * Immutable and thread-safe.
 *
 * <p>Each pattern is split at its top-level '|' into branches. A branch that is a plain literal
 * once its escapes are undone (nearly all of them) goes into one {@link LiteralMatcher}, so the
 * whole list costs a single pass over the User-Agent. A branch of literals joined by
 * {@code [\s\S]*} ("this, later that") is checked with {@code indexOf}, in linear time. Any other
 * branch is a real regular expression: it goes into the pass as the longest literal every match
 * of it must contain, and only when that literal is present is the branch's {@link Pattern} run,
 * once. Patterns are case-sensitive, as in their source. One refinement over a plain regex
 * search: a literal starting with a digit does not match right after a letter or digit (see
 * {@link #insideNumber}).
 */
final class CrawlerPatterns {
    static final String RESOURCE = "crawler-user-agents.txt";

    /** A check run when a branch's required literal was seen: where the branch matches, or -1. */
    private interface Confirmation {
        int find(String text);
    }

    private final List<String> patterns;
    private final LiteralMatcher literals;
    /** Per literal: the check to confirm with, or null when the literal is the whole branch. */
    private final Confirmation[] confirmations;
    /** Branches without any required literal: run on every input. */
    private final Confirmation[] unfiltered;
    private final char[] literalFirstChars;

    private CrawlerPatterns(List<String> patterns) {
        this.patterns = Collections.unmodifiableList(new ArrayList<>(patterns));
        List<String> literalTexts = new ArrayList<>();
        List<Confirmation> literalConfirmations = new ArrayList<>();
        List<Confirmation> always = new ArrayList<>();
        for (String pattern : patterns) {
            for (String branch : topLevelBranches(pattern)) {
                String literal = plainLiteral(branch);
                if (literal != null) {
                    if (!literal.isEmpty()) {
                        literalTexts.add(literal);
                        literalConfirmations.add(null);
                    }
                    continue;
                }
                List<String> ordered = orderedLiterals(branch);
                if (ordered != null) {
                    literalTexts.add(ordered.get(0));
                    literalConfirmations.add(text -> findInOrder(text, ordered));
                    continue;
                }
                Pattern compiled;
                try {
                    compiled = Pattern.compile(branch);
                } catch (PatternSyntaxException e) {
                    continue; // the shipped list is checked by a test; a broken line must not stop the agent
                }
                Confirmation regex = text -> {
                    Matcher matcher = compiled.matcher(text);
                    return matcher.find() ? matcher.start() : -1;
                };
                String required = requiredLiteral(branch);
                if (required.isEmpty()) {
                    always.add(regex);
                } else {
                    literalTexts.add(required);
                    literalConfirmations.add(regex);
                }
            }
        }
        this.literals = new LiteralMatcher(literalTexts);
        this.confirmations = literalConfirmations.toArray(new Confirmation[0]);
        this.unfiltered = always.toArray(new Confirmation[0]);
        this.literalFirstChars = new char[literalTexts.size()];
        for (int i = 0; i < literalTexts.size(); i++) {
            literalFirstChars[i] = literalTexts.get(i).charAt(0);
        }
    }

    /** The shipped list. */
    static CrawlerPatterns load() {
        InputStream in = CrawlerPatterns.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("missing resource " + RESOURCE);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return of(readPatterns(reader));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of the resource format: '#' starts a comment line, every other non-empty line is a pattern. */
    static List<String> readPatterns(BufferedReader reader) throws IOException {
        List<String> out = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(line);
            }
        }
        return out;
    }

    static CrawlerPatterns of(List<String> patterns) {
        return new CrawlerPatterns(patterns);
    }

    /** The patterns, in source order. */
    List<String> patterns() {
        return patterns;
    }

    /** True when any pattern is found in the text. */
    boolean matches(String text) {
        return firstMatch(text) >= 0;
    }

    /** Where the earliest match of any pattern starts, or -1 when none matches. */
    int firstMatch(String text) {
        int[] first = {Integer.MAX_VALUE};
        // A literal may occur many times; its confirmation is run once per text, found or not.
        boolean[] confirmed = new boolean[confirmations.length];
        literals.scan(text, (literal, start, end) -> {
            Confirmation confirmation = confirmations[literal];
            if (confirmation == null) {
                if (start < first[0] && !insideNumber(text, literal, start)) {
                    first[0] = start;
                }
            } else if (!confirmed[literal]) {
                confirmed[literal] = true;
                int at = confirmation.find(text);
                if (at >= 0 && at < first[0]) {
                    first[0] = at;
                }
            }
            return first[0] == 0;
        });
        for (Confirmation confirmation : unfiltered) {
            int at = confirmation.find(text);
            if (at >= 0 && at < first[0]) {
                first[0] = at;
            }
        }
        return first[0] == Integer.MAX_VALUE ? -1 : first[0];
    }

    /** The plain literals of a branch like {@code A[\s\S]*B}, or null for any other branch. */
    static List<String> orderedLiterals(String branch) {
        String any = "[\\s\\S]*";
        if (!branch.contains(any)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        while (true) {
            int at = branch.indexOf(any, start);
            String piece = plainLiteral(at < 0 ? branch.substring(start) : branch.substring(start, at));
            if (piece == null || piece.isEmpty()) {
                return null;
            }
            out.add(piece);
            if (at < 0) {
                return out;
            }
            start = at + any.length();
        }
    }

    /**
     * Where the first literal starts when all follow one another in order, or -1. The earliest
     * first literal is always the best start: whatever follows a later one follows it too.
     */
    private static int findInOrder(String text, List<String> ordered) {
        int start = text.indexOf(ordered.get(0));
        if (start < 0) {
            return -1;
        }
        int from = start + ordered.get(0).length();
        for (int i = 1; i < ordered.size(); i++) {
            int at = text.indexOf(ordered.get(i), from);
            if (at < 0) {
                return -1;
            }
            from = at + ordered.get(i).length();
        }
        return start;
    }

    /**
     * True when a literal that starts with a digit is found right after a letter or digit:
     * {@code 008/} names a crawler, not the build number in {@code Opera Mini/4.4.39008/37} nor
     * the phone model {@code sprd-L008/1.0}.
     */
    private boolean insideNumber(String text, int literal, int start) {
        if (start == 0 || !isDigit(literalFirstChars[literal])) {
            return false;
        }
        char before = text.charAt(start - 1);
        return isDigit(before) || (before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The pattern split at each '|' outside groups and character classes. */
    static List<String> topLevelBranches(String pattern) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean inClass = false;
        int start = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
            } else if (c == '[') {
                inClass = true;
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == ']') {
                    i++; // a ']' first in a class is a member
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                out.add(pattern.substring(start, i));
                start = i + 1;
            }
        }
        out.add(pattern.substring(start));
        return out;
    }

    /** The text a branch stands for when it has no operators (escaped punctuation allowed), else null. */
    static String plainLiteral(String branch) {
        StringBuilder out = new StringBuilder(branch.length());
        for (int i = 0; i < branch.length(); i++) {
            char c = branch.charAt(i);
            if (c == '\\') {
                if (i + 1 >= branch.length() || Character.isLetterOrDigit(branch.charAt(i + 1))) {
                    return null; // \d, \s, \b, \1 ... are operators
                }
                out.append(branch.charAt(++i));
            } else if (".[](){}*+?^$|".indexOf(c) >= 0) {
                return null;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The longest run of literal characters that every match of the branch contains: characters
     * outside groups and classes that no quantifier makes optional. "" when there is none.
     */
    static String requiredLiteral(String branch) {
        String best = "";
        StringBuilder run = new StringBuilder();
        int i = 0;
        int length = branch.length();
        while (i < length) {
            char c = branch.charAt(i);
            String literal = null;
            int next;
            if (c == '\\' && i + 1 < length && !Character.isLetterOrDigit(branch.charAt(i + 1))) {
                literal = String.valueOf(branch.charAt(i + 1));
                next = i + 2;
            } else if (c == '\\') {
                next = Math.min(length, i + 2);
            } else if (c == '[') {
                next = endOfClass(branch, i);
            } else if (c == '(') {
                next = endOfGroup(branch, i);
            } else if ("^$.|".indexOf(c) >= 0) {
                next = i + 1;
            } else {
                literal = String.valueOf(c);
                next = i + 1;
            }
            char quantifier = next < length ? branch.charAt(next) : 0;
            boolean optional = quantifier == '?' || quantifier == '*' || quantifier == '{';
            if (literal != null && !optional) {
                run.append(literal);
            }
            if (literal == null || optional || quantifier == '+') {
                if (run.length() > best.length()) {
                    best = run.toString();
                }
                run.setLength(0);
            }
            i = skipQuantifier(branch, next);
        }
        return run.length() > best.length() ? run.toString() : best;
    }

    private static int endOfClass(String s, int open) {
        int i = open + 1;
        if (i < s.length() && s.charAt(i) == '^') {
            i++;
        }
        if (i < s.length() && s.charAt(i) == ']') {
            i++;
        }
        while (i < s.length() && s.charAt(i) != ']') {
            if (s.charAt(i) == '\\') {
                i++;
            }
            i++;
        }
        return Math.min(s.length(), i + 1);
    }

    private static int endOfGroup(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = endOfClass(s, i) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return s.length();
    }

    private static int skipQuantifier(String s, int i) {
        if (i >= s.length()) {
            return i;
        }
        char c = s.charAt(i);
        if (c == '?' || c == '*' || c == '+') {
            i++;
        } else if (c == '{') {
            int close = s.indexOf('}', i);
            i = close < 0 ? s.length() : close + 1;
        } else {
            return i;
        }
        if (i < s.length() && (s.charAt(i) == '?' || s.charAt(i) == '+')) {
            i++; // lazy or possessive
        }
        return i;
    }
}
