package io.headcount.agent.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The few shapes of RFC 8941 structured header fields that the User-Agent client hints use: a list
 * of strings with parameters ({@code Sec-CH-UA}), one string ({@code Sec-CH-UA-Platform}) and one
 * boolean ({@code Sec-CH-UA-Mobile}). Strict as the RFC asks: a field that does not parse is
 * ignored whole (null), never half-read. Pure; each call reads its input once, left to right.
 */
final class StructuredFields {
    private final String text;
    private int at;

    private StructuredFields(String text) {
        this.text = text;
    }

    /**
     * The strings of a list whose members are all strings (with any parameters), in order; null
     * when the field is absent, does not parse, holds another kind of member, or has more than
     * {@code maxMembers}.
     */
    static List<String> stringList(String field, int maxMembers) {
        if (field == null) {
            return null;
        }
        StructuredFields in = new StructuredFields(field);
        in.skipSpaces();
        List<String> members = new ArrayList<>();
        if (in.atEnd()) {
            return members;
        }
        while (true) {
            String member = in.string();
            if (member == null || !in.parameters() || members.size() == maxMembers) {
                return null;
            }
            members.add(member);
            in.skipWhitespace();
            if (in.atEnd()) {
                return members;
            }
            if (!in.take(',')) {
                return null;
            }
            in.skipWhitespace();
            if (in.atEnd()) {
                return null; // a trailing comma
            }
        }
    }

    /** The string of a field that is one string item (parameters allowed); null otherwise. */
    static String string(String field) {
        return item(field, StructuredFields::string);
    }

    /** The value of a field that is one boolean item ({@code ?1} or {@code ?0}); null otherwise. */
    static Boolean bool(String field) {
        return item(field, StructuredFields::booleanItem);
    }

    /** A field that is one item: the bare item {@code bare} reads, its parameters, nothing after. */
    private static <T> T item(String field, Function<StructuredFields, T> bare) {
        if (field == null) {
            return null;
        }
        StructuredFields in = new StructuredFields(field);
        in.skipSpaces();
        T value = bare.apply(in);
        if (value == null || !in.parameters()) {
            return null;
        }
        in.skipSpaces();
        return in.atEnd() ? value : null;
    }

    /** An sf-string: printable ASCII in double quotes, {@code \"} and {@code \\} the only escapes. */
    private String string() {
        if (!take('"')) {
            return null;
        }
        StringBuilder value = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\') {
                if (at == text.length()) {
                    return null;
                }
                c = text.charAt(at++);
                if (c != '"' && c != '\\') {
                    return null;
                }
            } else if (c < 0x20 || c > 0x7e) {
                return null;
            }
            value.append(c);
        }
        return null;
    }

    private Boolean booleanItem() {
        if (at + 1 < text.length() && text.charAt(at) == '?') {
            char c = text.charAt(at + 1);
            if (c == '0' || c == '1') {
                at += 2;
                return c == '1';
            }
        }
        return null;
    }

    /** {@code *( ";" *SP key [ "=" bare-item ] )}; false when one does not parse. */
    private boolean parameters() {
        while (take(';')) {
            skipSpaces();
            if (!key()) {
                return false;
            }
            if (take('=') && !bareItem()) {
                return false;
            }
        }
        return true;
    }

    private boolean key() {
        if (at == text.length()) {
            return false;
        }
        char first = text.charAt(at);
        if (!(first >= 'a' && first <= 'z') && first != '*') {
            return false;
        }
        at++;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_' && c != '-' && c != '.' && c != '*') {
                break;
            }
            at++;
        }
        return true;
    }

    /** A parameter's value: a string, boolean, number or token (byte sequences are not met here). */
    private boolean bareItem() {
        if (at == text.length()) {
            return false;
        }
        char c = text.charAt(at);
        if (c == '"') {
            return string() != null;
        }
        if (c == '?') {
            return booleanItem() != null;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '*') {
            at++;
            while (at < text.length() && isTokenChar(text.charAt(at))) {
                at++;
            }
            return true;
        }
        return false;
    }

    /** An sf-integer (at most 15 digits) or sf-decimal (at most 12 and 3 digits). */
    private boolean number() {
        take('-');
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        int integerDigits = at - start;
        if (integerDigits == 0 || integerDigits > 15) {
            return false;
        }
        if (!take('.')) {
            return true;
        }
        int fraction = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        int fractionDigits = at - fraction;
        return integerDigits <= 12 && fractionDigits >= 1 && fractionDigits <= 3;
    }

    /** RFC 9110 tchar, plus ':' and '/' as sf-token allows. */
    private static boolean isTokenChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~:/".indexOf(c) >= 0;
    }

    private boolean take(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (at < text.length() && text.charAt(at) == ' ') {
            at++;
        }
    }

    /** OWS between list members: spaces and tabs. */
    private void skipWhitespace() {
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
            at++;
        }
    }

    private boolean atEnd() {
        return at == text.length();
    }
}
