package io.headcount.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated hostile strings for property tests of every parser that reads client input: seeded,
 * so that a failure names the case that found it and replays exactly.
 *
 * <p>Each case mixes fragments that parsers get wrong: control characters, lone surrogates,
 * invalid and overlong percent-encoding, dot segments, path parameters, IPv6 forms with zone ids,
 * quoted strings, separators of the headers we read, and sheer length (up to 64 KiB).
 */
public final class HostileInputs {
    /** The longest generated string: past any header limit a container is likely to set. */
    public static final int MAX_LENGTH = 64 * 1024;

    private static final String[] FRAGMENTS = {
        "", " ", "\t", "\r\n", "\u0000", "\u0001", "\u007f", "\u0085", "\u2028", "\ufeff", "\uffff",
        "\ud800", "\udfff", "\udbff\udfff", "\ud83d\ude00", "é", "ß", "İ", "\u0130", "\u212a",
        "%", "%%", "%2", "%zz", "%00", "%2e", "%2E%2e", "%2f", "%5c", "%c0%ae", "%e0%80%ae", "%ff", "%u002e",
        ".", "..", "/", "//", "\\", "/./", "/../", ";", ";jsessionid=1", ";a=b/", "?", "#", "&", "=",
        ",", ", ", "\"", "\\\"", "'", "<", ">", "{id}", "*", "**", "[", "]", ":", "::", "::1", "[::1]",
        "[::1]:80", "fe80::1%eth0", "fe80::1%25eth0", "[fe80::1%eth0]:8080", "::ffff:10.0.0.1",
        "::ffff:0a00:0001", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "2001:db8::/32", "1.2.3.4",
        "01.02.03.04", "1.2.3", "256.1.1.1", "0x7f.1", "4294967295", "10.0.0.0/8", "/33", "/-1",
        "for=", "for=\"", "for=\"[2001:db8::1]:4711\"", "for=_hidden", "for=unknown", "by=", "proto=https",
        "host=", "Forwarded", "X-Forwarded-For", "unknown", "_obf", "null", "NaN", "-1", "0",
        "9999999999999999999999", "1e309", "http://", "https://", "//evil.example", "www.", "WWW.",
        "xn--", "xn--nxasmq6b", "Mozilla/5.0", "(", ")", "compatible;", "bot", "Googlebot/2.1",
        "curl/8.5.0", "Chrome/120.0", "Safari/605.1.15", "Android 14", "iPhone OS 17_0", "Windows NT 10.0",
        "redis://", "rediss://", "redis-sentinel://", "@", "user:pass@", "localhost", "999.1.1.1",
    };

    private HostileInputs() {
    }

    /** {@code count} strings from {@code seed}: mostly short mixtures, some up to {@link #MAX_LENGTH}. */
    public static List<String> strings(long seed, int count) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(one(random, i % 16 == 15 ? MAX_LENGTH : 256));
        }
        out.add("");
        out.add(repeat("/..", MAX_LENGTH / 3));
        out.add(repeat("%", MAX_LENGTH));
        out.add(repeat("\ud800", MAX_LENGTH));
        out.add(repeat("a,", MAX_LENGTH / 2));
        out.add(repeat("for=1.2.3.4;", MAX_LENGTH / 12));
        return out;
    }

    private static String one(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder out = new StringBuilder(length + 64);
        while (out.length() < length) {
            switch (random.nextInt(4)) {
                case 0:
                    out.append((char) random.nextInt(0x80));
                    break;
                case 1:
                    out.append((char) random.nextInt(0x10000));
                    break;
                default:
                    out.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                    break;
            }
        }
        return out.length() > maxLength ? out.substring(0, maxLength) : out.toString();
    }

    private static String repeat(String part, int times) {
        StringBuilder out = new StringBuilder(part.length() * times);
        for (int i = 0; i < times; i++) {
            out.append(part);
        }
        return out.toString();
    }
}
