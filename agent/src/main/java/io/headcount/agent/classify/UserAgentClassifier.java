package io.headcount.agent.classify;

/**
 * Turns a raw User-Agent header into {@link UserAgentInfo}. A pure function: the same input always
 * gives the same answer, no state is kept, any thread may call it. Null or blank gives unknown.
 *
 * <p>Order of the questions, first answer wins:
 * <ol>
 *   <li>a known HTTP tool or library ({@code curl/8.4}, {@code python-requests/2.31}, ...):
 *       client {@code script}, browser the tool's name, device {@code script};</li>
 *   <li>a bot (the crawler-user-agents list plus generic signals, see {@link BotDetector}):
 *       client {@code bot}, browser {@code bot}, os {@code unknown} (a bot's platform claim is
 *       mimicry), device {@code bot};</li>
 *   <li>a browser: the contract's names by their own tokens ({@code Edg/}, {@code OPR/},
 *       {@code SamsungBrowser/} before {@code Chrome/}; {@code Chrome/}, {@code Firefox/},
 *       {@code MSIE}/{@code Trident/}, then {@code Safari/} or Apple's WebKit), browsers the
 *       contract does not name (Yandex, UC, Vivaldi, ...) as browser {@code unknown}.</li>
 * </ol>
 * The OS and device come from the platform tokens for browsers, scripts and unknown clients.
 * Only the first {@value #MAX_LENGTH} characters are read, so the cost is bounded for any input:
 * every step is a literal scan or {@code indexOf}, and the few regular expressions of the crawler
 * list run only when their required literal is present and cannot backtrack catastrophically.
 *
 * <p>The shipped crawler list is compiled once per class loader, on first use; a jar without it
 * fails that first construction with an {@link Error}, which the wiring is expected to report.
 */
public final class UserAgentClassifier {
    /** Characters read at most. */
    public static final int MAX_LENGTH = 1024;

    private static final UserAgentInfo UNKNOWN = new UserAgentInfo(UserAgentInfo.UNKNOWN,
            UserAgentInfo.UNKNOWN, UserAgentInfo.UNKNOWN, UserAgentInfo.UNKNOWN);
    private static final UserAgentInfo BOT = new UserAgentInfo(UserAgentInfo.CLIENT_BOT,
            UserAgentInfo.CLIENT_BOT, UserAgentInfo.UNKNOWN, "bot");

    static final String CHROME = "Chrome";
    static final String FIREFOX = "Firefox";
    static final String SAFARI = "Safari";
    static final String EDGE = "Edge";
    static final String OPERA = "Opera";
    static final String SAMSUNG = "Samsung Internet";
    static final String IE = "Internet Explorer";

    static final String WINDOWS = "Windows";
    static final String MACOS = "macOS";
    static final String LINUX = "Linux";
    static final String ANDROID = "Android";
    static final String IOS = "iOS";
    static final String CHROME_OS = "ChromeOS";

    static final String DESKTOP = "desktop";
    static final String MOBILE = "mobile";
    static final String TABLET = "tablet";

    /** Browsers the contract does not name: their own token wins over the engine they build on. */
    private static final String[] OTHER_BROWSERS = {
        "YaBrowser/", "Vivaldi/", "UCBrowser", "UCWEB", "UBrowser/", "QQBrowser", "MiuiBrowser/",
        "HuaweiBrowser/", "HeyTapBrowser/", "Silk/", "Maxthon", "MxBrowser", "SeaMonkey/",
        "Iceweasel/", "IceCat/", "PaleMoon/", "Waterfox/", "Camino/", "Konqueror/", "Epiphany/",
        "Midori", "Galeon/", "K-Meleon/", "Netscape/", "Navigator/", "Lunascape", "Sleipnir",
        "Puffin/", "Whale/", "OculusBrowser/", "DuckDuckGo/", "coc_coc_browser/", "MetaSr", "2345Explorer",
        "360SE", "LBBROWSER", "BIDUBrowser", "baiduboxapp", "Avant Browser", "MyIE2",
        "Crazy Browser", "NetFront", "Obigo", "Dolphin", "Otter/", "qutebrowser/", "Falkon/",
        "QupZilla/", "Iron/", "Comodo_Dragon", "Brave", "Electron/", "Flock/", "Kindle/",
        "NokiaBrowser/", "BrowserNG", "Dillo/", "Lynx/", "ELinks", "w3m/", "Mosaic",
        "iCab", "OmniWeb", "Shiira", "Arora/", "rekonq", "Iris/", "Minimo/", "Fennec/",
        "Chimera/", "Phoenix/", "Firebird/", "Thunderbird/", "Outlook", "Steam",
    };

    private final ScriptTools scripts;
    private final BotDetector bots;

    public UserAgentClassifier() {
        this.scripts = Shared.SCRIPTS;
        this.bots = Shared.BOTS;
    }

    /** Built once per class loader: the crawler list takes a few milliseconds to compile. */
    private static final class Shared {
        static final ScriptTools SCRIPTS = new ScriptTools();
        static final BotDetector BOTS = new BotDetector(CrawlerPatterns.load());
    }

    public UserAgentInfo classify(String userAgent) {
        if (userAgent == null) {
            return UNKNOWN;
        }
        String ua = userAgent.length() > MAX_LENGTH ? userAgent.substring(0, MAX_LENGTH) : userAgent;
        ua = ua.trim();
        if (ua.isEmpty()) {
            return UNKNOWN;
        }
        String lower = asciiLowerCase(ua);
        ScriptTools.Match tool = isBrowserItself(ua) ? null : scripts.find(lower);
        // A tool named first is a script even when the crawler list names it too (curl, wget,
        // python-requests are all listed); a bot named before the tool it is built on is a bot.
        int botAt = tool != null && tool.start == 0 ? -1 : bots.firstSignal(ua, lower);
        if (tool != null && (botAt < 0 || tool.start <= botAt)) {
            return new UserAgentInfo(UserAgentInfo.CLIENT_SCRIPT, tool.name, os(ua), UserAgentInfo.CLIENT_SCRIPT);
        }
        if (botAt >= 0) {
            return BOT;
        }
        String os = os(ua);
        String browser = browser(ua, os);
        String client;
        if (browser != null) {
            client = UserAgentInfo.CLIENT_BROWSER;
        } else if (looksLikeBrowser(ua)) {
            client = UserAgentInfo.CLIENT_BROWSER;
            browser = UserAgentInfo.UNKNOWN;
        } else {
            client = UserAgentInfo.UNKNOWN;
            browser = UserAgentInfo.UNKNOWN;
        }
        return new UserAgentInfo(client, browser, os, device(ua, os));
    }

    /** Safari's own helper fetches name CFNetwork too; they are the browser, not a script. */
    private static boolean isBrowserItself(String ua) {
        return ua.startsWith("MobileSafari/") || ua.startsWith("Safari/");
    }

    /** A contract browser name, {@code unknown} for a browser it does not name, null for none. */
    static String browser(String ua, String os) {
        if (ua.startsWith("MobileSafari/") || ua.startsWith("Safari/")) {
            return SAFARI;
        }
        if (has(ua, "Edg/") || has(ua, "Edge/") || has(ua, "EdgA/") || has(ua, "EdgiOS/")) {
            return EDGE;
        }
        // Opera once sent MSIE tokens, and Opera Mini carries no Chrome token at all.
        if (has(ua, "OPR/") || hasWord(ua, "Opera") || has(ua, "OPiOS/") || has(ua, "OPT/")
                || has(ua, "OPX/") || has(ua, " Coast/")) {
            return OPERA;
        }
        for (String token : OTHER_BROWSERS) {
            if (has(ua, token)) {
                return UserAgentInfo.UNKNOWN;
            }
        }
        if (hasWord(ua, "Links")) {
            return UserAgentInfo.UNKNOWN;
        }
        if (has(ua, "SamsungBrowser/")) {
            return SAMSUNG;
        }
        // Internet Explorer 11 sends "like Gecko" and sometimes a Firefox token; only it sends Trident.
        if (has(ua, "Trident/")) {
            return IE;
        }
        if (has(ua, "CriOS/") || has(ua, "Chrome/") || has(ua, "Chromium/")) {
            return CHROME;
        }
        if (has(ua, "FxiOS/") || has(ua, "Firefox/") || hasWord(ua, "Firefox")) {
            return FIREFOX;
        }
        if (has(ua, "MSIE ") || has(ua, "MSIE/")) {
            return IE;
        }
        if (has(ua, "AppleWebKit") || has(ua, "Safari/")) {
            if (ANDROID.equals(os)) {
                return UserAgentInfo.UNKNOWN; // the pre-Chrome Android browser
            }
            if (has(ua, "Safari/") || IOS.equals(os)) {
                return SAFARI; // iOS apps' web views are Safari's engine, named or not
            }
        }
        return null;
    }

    /** A client that is no named browser but speaks like one: a Mozilla token with an engine. */
    private static boolean looksLikeBrowser(String ua) {
        return (ua.startsWith("Mozilla/") || ua.startsWith("Opera/"))
                && (has(ua, "Gecko") || has(ua, "AppleWebKit") || has(ua, "KHTML") || has(ua, "Presto/")
                    || has(ua, "Trident/"));
    }

    static String os(String ua) {
        if (has(ua, "Windows Phone") || has(ua, "Windows Mobile") || has(ua, "Windows CE")
                || has(ua, "WPDesktop")) {
            return WINDOWS;
        }
        if (has(ua, "iPhone") || has(ua, "iPad") || has(ua, "iPod") || has(ua, "CriOS/")
                || has(ua, "FxiOS/") || has(ua, "EdgiOS/") || has(ua, "OPiOS/")
                || (has(ua, "like Mac OS X") && has(ua, "CPU ")) || hasIosWord(ua)) {
            return IOS;
        }
        // Amazon's Silk and Meta's Oculus browser run only on Android builds, even in desktop mode;
        // UC Browser's "Linux" builds are its Android ones.
        if (has(ua, "Android") || has(ua, "; Adr ") || has(ua, "Silk/") || has(ua, "Silk-Accelerated")
                || has(ua, "OculusBrowser/") || (has(ua, "UCWEB") && has(ua, "Linux"))) {
            return ANDROID;
        }
        if (has(ua, "CrOS")) {
            return CHROME_OS;
        }
        if (has(ua, "Windows") || has(ua, "Win98") || has(ua, "Win95") || has(ua, "WinNT")
                || has(ua, "Win 9x") || has(ua, "Win32") || has(ua, "Win64")) {
            return WINDOWS;
        }
        if (has(ua, "Macintosh") || has(ua, "Mac OS X") || has(ua, "Mac_PowerPC") || has(ua, "Mac_PPC")
                || has(ua, "PPC Mac")) {
            return MACOS;
        }
        if (has(ua, "Darwin/")) {
            return darwin(ua);
        }
        if (has(ua, "Linux") || has(ua, "Ubuntu") || has(ua, "Fedora") || has(ua, "Debian")
                || has(ua, "Gentoo") || has(ua, "Mandriva") || has(ua, "CentOS") || has(ua, "Red Hat")
                || has(ua, "Slackware") || has(ua, "SUSE")) {
            return LINUX;
        }
        return lowerCaseOs(asciiLowerCase(ua));
    }

    /**
     * Apple's apps name the kernel, not the OS: Intel and PowerPC builds and Mac model names are
     * macOS; everything else (ARM phones and tablets, by far the most) is iOS.
     */
    private static String darwin(String ua) {
        String lower = asciiLowerCase(ua);
        if (lower.contains("x86_64") || lower.contains("i386") || lower.contains("powerpc")
                || lower.contains("macmini") || lower.contains("macbook") || lower.contains("imac")
                || lower.contains("macpro") || lower.contains("mac os")) {
            return MACOS;
        }
        return IOS;
    }

    /** Libraries and SDKs name the platform in lower case ({@code linux-gnu}, {@code os/macos}). */
    private static String lowerCaseOs(String lower) {
        if (lower.contains("android")) {
            return ANDROID;
        }
        if (lower.contains("windows") || lower.contains("win32") || lower.contains("win64")) {
            return WINDOWS;
        }
        if (lower.contains("macos") || lower.contains("mac os")) {
            return MACOS;
        }
        if (lower.contains("darwin")) {
            return darwin(lower);
        }
        if (lower.contains("linux")) {
            return LINUX;
        }
        return UserAgentInfo.UNKNOWN;
    }

    /** "iOS" as a word of its own ("(iOS; U", "Outlook-iOS/"), not the end of "KaiOS". */
    private static boolean hasIosWord(String ua) {
        return hasWord(ua, "iOS");
    }

    static String device(String ua, String os) {
        if (has(ua, "iPad") || has(ua, "Tablet") && !has(ua, "Tablet PC") || has(ua, "Kindle")
                || has(ua, "Silk/") || has(ua, "PlayBook")
                || (ANDROID.equals(os) && !has(ua, "Mobi"))) {
            return TABLET;
        }
        if (has(ua, "Mobi") || has(ua, "iPhone") || has(ua, "iPod") || has(ua, "Windows Phone")
                || has(ua, "Opera Mini") || has(ua, "BlackBerry") || has(ua, "BB10")
                || has(ua, "Symbian") || has(ua, "SymbOS") || has(ua, "Series60") || has(ua, "MIDP")
                || has(ua, "Windows CE") || has(ua, "KaiOS") || has(ua, "J2ME") || has(ua, "UP.Browser")
                || has(ua, "NetFront") || has(ua, "Obigo") || has(ua, "BREW") || has(ua, "Nokia")
                || has(ua, "SonyEricsson") || ANDROID.equals(os) || IOS.equals(os)) {
            return MOBILE;
        }
        if (WINDOWS.equals(os) || MACOS.equals(os) || LINUX.equals(os) || CHROME_OS.equals(os)) {
            return DESKTOP;
        }
        return UserAgentInfo.UNKNOWN;
    }

    /**
     * ASCII letters folded to lower case, nothing else: unlike {@link String#toLowerCase} it keeps
     * every character at its index, so positions found in either form compare.
     */
    static String asciiLowerCase(String s) {
        char[] out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = s.toCharArray();
                }
                out[i] = (char) (c + ('a' - 'A'));
            }
        }
        return out == null ? s : new String(out);
    }

    private static boolean has(String ua, String token) {
        return ua.indexOf(token) >= 0;
    }

    /** The token with no ASCII letter right before or after it. */
    static boolean hasWord(String ua, String token) {
        for (int at = ua.indexOf(token); at >= 0; at = ua.indexOf(token, at + 1)) {
            int end = at + token.length();
            if ((at == 0 || !isAsciiLetter(ua.charAt(at - 1)))
                    && (end == ua.length() || !isAsciiLetter(ua.charAt(end)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
