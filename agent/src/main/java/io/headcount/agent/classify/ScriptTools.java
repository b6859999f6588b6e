package io.headcount.agent.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * HTTP tools and libraries that name themselves in the User-Agent, and the label each gets.
 * Immutable and thread-safe.
 *
 * <p>Tokens are matched case-insensitively, as whole product names: the character before must be
 * the start or not a letter, digit, '-', '_' or '.', and the one after must be the end, '/', a
 * space, ';', ')' or ','. Short names that are also English words ({@code got}, {@code hey}) or
 * that mean something else inside other products count only at the very start. When several
 * tools are named, the leftmost wins: a User-Agent lists its most specific product first
 * ({@code Apache-HttpClient/4.5 (Java/17)} is Apache-HttpClient, not Java).
 */
final class ScriptTools {
    private static final class Tool {
        final String token;
        final String name;
        final boolean startOnly;

        Tool(String token, String name, boolean startOnly) {
            this.token = token;
            this.name = name;
            this.startOnly = startOnly;
        }
    }

    private static final Tool[] TOOLS = {
        // The contract's own examples.
        anywhere("curl", "curl"),
        anywhere("wget", "wget"),
        anywhere("python-requests", "python-requests"),
        anywhere("go-http-client", "Go-http-client"),
        anywhere("java-http-client", "Java-http-client"),
        anywhere("okhttp", "okhttp"),
        anywhere("okhttp3", "okhttp"),
        // Python
        anywhere("python-urllib", "python-urllib"),
        anywhere("python-urllib3", "python-urllib3"),
        anywhere("aiohttp", "aiohttp"),
        anywhere("python-httpx", "httpx"),
        anywhere("pycurl", "PycURL"),
        // JavaScript
        anywhere("node-fetch", "node-fetch"),
        anywhere("axios", "axios"),
        atStart("undici", "undici"),
        atStart("node", "node"),
        atStart("got", "got"),
        atStart("deno", "Deno"),
        atStart("bun", "Bun"),
        // JVM
        atStart("java", "Java"),
        anywhere("apache-httpclient", "Apache-HttpClient"),
        anywhere("apache-httpasyncclient", "Apache-HttpAsyncClient"),
        anywhere("jakarta commons-httpclient", "Commons-HttpClient"),
        anywhere("google-http-java-client", "Google-HTTP-Java-Client"),
        anywhere("ahc", "AHC"),
        anywhere("jetty", "Jetty"),
        anywhere("vert.x-webclient", "Vert.x-WebClient"),
        anywhere("reactornetty", "ReactorNetty"),
        anywhere("dalvik", "Dalvik"),
        // Other languages and platforms
        anywhere("libwww-perl", "libwww-perl"),
        anywhere("lwp-request", "libwww-perl"),
        anywhere("lwp-trivial", "libwww-perl"),
        anywhere("guzzlehttp", "GuzzleHttp"),
        atStart("ruby", "Ruby"),
        anywhere("rest-client", "rest-client"),
        atStart("faraday", "Faraday"),
        anywhere("typhoeus", "Typhoeus"),
        atStart("httpclient", "HTTPClient"),
        atStart("dart", "Dart"),
        anywhere("restsharp", "RestSharp"),
        anywhere("windowspowershell", "PowerShell"),
        anywhere("powershell", "PowerShell"),
        anywhere("winhttp.winhttprequest.5", "WinHttp"),
        anywhere("cfnetwork", "CFNetwork"),
        atStart("git", "git"),
        // Interactive and load-testing tools
        anywhere("postmanruntime", "PostmanRuntime"),
        anywhere("insomnia", "insomnia"),
        anywhere("httpie", "HTTPie"),
        atStart("k6", "k6"),
        anywhere("apachebench", "ApacheBench"),
        atStart("hey", "hey"),
    };

    private final LiteralMatcher matcher;

    ScriptTools() {
        List<String> tokens = new ArrayList<>();
        for (Tool tool : TOOLS) {
            tokens.add(tool.token);
        }
        matcher = new LiteralMatcher(tokens);
    }

    /** Every name {@link #find} can give: the browser label values of scripts. */
    static Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (Tool tool : TOOLS) {
            names.add(tool.name);
        }
        return names;
    }

    /** A tool named in a User-Agent, and where its name starts. */
    static final class Match {
        final String name;
        final int start;

        Match(String name, int start) {
            this.name = name;
            this.start = start;
        }
    }

    /**
     * @param lowerCased the User-Agent in lower case (ASCII letters folded)
     * @return the leftmost tool named, or null when no known tool is named
     */
    Match find(String lowerCased) {
        int[] best = {-1, Integer.MAX_VALUE};
        matcher.scan(lowerCased, (tool, start, end) -> {
            if (start < best[1] && isWholeName(lowerCased, start, end, TOOLS[tool].startOnly)) {
                best[0] = tool;
                best[1] = start;
            }
            return false;
        });
        return best[0] < 0 ? null : new Match(TOOLS[best[0]].name, best[1]);
    }

    private static boolean isWholeName(String s, int start, int end, boolean startOnly) {
        if (start > 0) {
            char before = s.charAt(start - 1);
            if (startOnly || Character.isLetterOrDigit(before) || before == '-' || before == '_' || before == '.') {
                return false;
            }
        }
        if (end == s.length()) {
            return true;
        }
        char after = s.charAt(end);
        return after == '/' || after == ' ' || after == ';' || after == ')' || after == ',';
    }

    private static Tool anywhere(String token, String name) {
        return new Tool(token, name, false);
    }

    private static Tool atStart(String token, String name) {
        return new Tool(token, name, true);
    }
}
