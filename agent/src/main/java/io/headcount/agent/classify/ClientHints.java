package io.headcount.agent.classify;

import java.util.List;
import java.util.Map;

/**
 * The low-entropy User-Agent client hints that Chromium browsers send unasked over HTTPS
 * ({@code Sec-CH-UA}, {@code Sec-CH-UA-Mobile}, {@code Sec-CH-UA-Platform}), laid over what the
 * User-Agent said. A reduced User-Agent freezes its platform part ({@code Windows NT 10.0} on
 * Windows 11, {@code Android 10; K} on every Android) and names the browser as Chrome for Brave and
 * others; where a hint is present and well-formed it decides the browser, OS or device instead.
 * Pure: the same input always gives the same answer.
 *
 * <p>Only clients the User-Agent already calls a browser are touched: a script or a bot sending
 * hints keeps its class. Each hint is parsed strictly as an RFC 8941 structured field; one that does
 * not parse, or a brand list of more than {@value #MAX_BRANDS} members, is ignored whole, so a
 * forged header can at worst choose among the contract's label values.
 */
public final class ClientHints {
    /** Brands read at most: browsers send three or four. */
    static final int MAX_BRANDS = 16;

    /** Brands that name a browser, by the contract's name for it. */
    private static final Map<String, String> NAMED_BRANDS = Map.of(
            "Google Chrome", UserAgentClassifier.CHROME,
            "Microsoft Edge", UserAgentClassifier.EDGE,
            "Opera", UserAgentClassifier.OPERA,
            "Opera GX", UserAgentClassifier.OPERA,
            "OperaMobile", UserAgentClassifier.OPERA,
            "Samsung Internet", UserAgentClassifier.SAMSUNG);
    private static final String CHROMIUM = "Chromium";
    /** An app's embedded browser: the brand says which engine, not which browser; the User-Agent says more. */
    private static final String ANDROID_WEBVIEW = "Android WebView";

    private static final Map<String, String> PLATFORMS = Map.of(
            "Windows", UserAgentClassifier.WINDOWS,
            "macOS", UserAgentClassifier.MACOS,
            "Linux", UserAgentClassifier.LINUX,
            "Android", UserAgentClassifier.ANDROID,
            "iOS", UserAgentClassifier.IOS,
            "Chrome OS", UserAgentClassifier.CHROME_OS,
            "ChromeOS", UserAgentClassifier.CHROME_OS,
            "Chromium OS", UserAgentClassifier.CHROME_OS);

    private ClientHints() {
    }

    /**
     * What the User-Agent said, with the hints' answers in place of its own where they give one.
     *
     * @param fromUserAgent the User-Agent's classes
     * @param brands the {@code Sec-CH-UA} field, or null
     * @param mobile the {@code Sec-CH-UA-Mobile} field, or null
     * @param platform the {@code Sec-CH-UA-Platform} field, or null
     * @return {@code fromUserAgent} itself when the hints change nothing
     */
    public static UserAgentInfo apply(UserAgentInfo fromUserAgent, String brands, String mobile, String platform) {
        if (!isBrowser(fromUserAgent)) {
            return fromUserAgent;
        }
        return apply(fromUserAgent, read(brands, mobile, platform));
    }

    /** Whether hints can change these classes: only a browser's are touched. */
    static boolean isBrowser(UserAgentInfo fromUserAgent) {
        return UserAgentInfo.CLIENT_BROWSER.equals(fromUserAgent.client);
    }

    /** What three hint fields say, each null where the field is absent or says nothing. */
    static Answer read(String brands, String mobile, String platform) {
        return new Answer(browser(brands), os(platform), StructuredFields.bool(mobile));
    }

    /** As {@link #apply(UserAgentInfo, String, String, String)}, with the fields already {@link #read}. */
    static UserAgentInfo apply(UserAgentInfo fromUserAgent, Answer hints) {
        if (!isBrowser(fromUserAgent)) {
            return fromUserAgent;
        }
        String browser = hints.browser == null ? fromUserAgent.browser : hints.browser;
        String os = hints.os == null ? fromUserAgent.os : hints.os;
        Boolean prefersMobile = hints.prefersMobile;
        String device = fromUserAgent.device;
        if (prefersMobile != null) {
            // "Not mobile" on a phone OS is how Chrome on a tablet introduces itself.
            boolean phoneOs = UserAgentClassifier.ANDROID.equals(os) || UserAgentClassifier.IOS.equals(os);
            device = prefersMobile ? UserAgentClassifier.MOBILE
                    : phoneOs ? UserAgentClassifier.TABLET : UserAgentClassifier.DESKTOP;
        }
        if (browser.equals(fromUserAgent.browser) && os.equals(fromUserAgent.os) && device.equals(fromUserAgent.device)) {
            return fromUserAgent;
        }
        return new UserAgentInfo(fromUserAgent.client, browser, os, device);
    }

    /**
     * The contract's browser name for a brand list, or null when it names none (absent, malformed,
     * only GREASE, or only an embedded WebView). A brand the contract does not name (Brave, Yandex)
     * beside Chromium is a browser the contract calls {@code unknown}, as the User-Agent classifier
     * calls one whose own token it finds.
     */
    static String browser(String field) {
        List<String> brands = StructuredFields.stringList(field, MAX_BRANDS);
        if (brands == null) {
            return null;
        }
        String named = null;
        boolean chromium = false;
        boolean webView = false;
        boolean unnamed = false;
        for (String brand : brands) {
            String name = NAMED_BRANDS.get(brand);
            if (name != null) {
                // Edge, Opera and Samsung name themselves beside Chromium, never beside Google Chrome.
                if (named == null || !name.equals(UserAgentClassifier.CHROME)) {
                    named = name;
                }
            } else if (brand.equals(CHROMIUM)) {
                chromium = true;
            } else if (brand.equals(ANDROID_WEBVIEW)) {
                webView = true;
            } else if (!isGrease(brand)) {
                unnamed = true;
            }
        }
        if (named != null) {
            return named;
        }
        if (unnamed) {
            return UserAgentInfo.UNKNOWN;
        }
        return chromium && !webView ? UserAgentClassifier.CHROME : null;
    }

    /**
     * The contract's OS for a platform hint; null when absent, malformed or {@code "Unknown"}.
     * Any other platform is authoritative too: one the contract does not name is {@code unknown}.
     */
    static String os(String field) {
        String platform = StructuredFields.string(field);
        if (platform == null || platform.isEmpty() || platform.equals("Unknown")) {
            return null;
        }
        String os = PLATFORMS.get(platform);
        return os == null ? UserAgentInfo.UNKNOWN : os;
    }

    /** The browser, OS and mobile preference that a request's hints state; null where one states none. Immutable. */
    static final class Answer {
        final String browser;
        final String os;
        final Boolean prefersMobile;

        Answer(String browser, String os, Boolean prefersMobile) {
            this.browser = browser;
            this.os = os;
            this.prefersMobile = prefersMobile;
        }
    }

    /**
     * Chromium's made-up brand, which it adds so that servers cannot rely on an exact list: "Not",
     * "A" and "Brand" with punctuation or spaces between or around them
     * ({@code "Not_A Brand"}, {@code "Not)A;Brand"}, {@code " Not A;Brand"}, {@code ";Not A Brand"}):
     * its letters alone spell NotABrand.
     */
    static boolean isGrease(String brand) {
        if (brand.length() > 16) {
            return false;
        }
        StringBuilder letters = new StringBuilder(9);
        for (int i = 0; i < brand.length(); i++) {
            char c = brand.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                letters.append(c);
            }
        }
        return letters.toString().equals("NotABrand");
    }
}
