package io.headcount.it.harness;

/** Real User-Agent headers, as current clients send them, with what the contract says they are. */
public final class UserAgents {
    private UserAgents() {
    }

    /** browser, Chrome, Windows, desktop. */
    public static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    /** browser, Safari, iOS, mobile. */
    public static final String SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X)"
            + " AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1";
    /** browser, Safari, iOS, tablet. */
    public static final String SAFARI_IPAD = "Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
    /** browser, Safari, macOS, desktop. */
    public static final String SAFARI_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
    /** browser, Firefox, Linux, desktop. */
    public static final String FIREFOX_LINUX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0)"
            + " Gecko/20100101 Firefox/133.0";
    /** browser, Edge, Windows, desktop. */
    public static final String EDGE_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
    /** browser, Samsung Internet, Android, mobile. */
    public static final String SAMSUNG_ANDROID = "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36"
            + " (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36";
    /** bot, bot, unknown, bot. */
    public static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    /** script, curl, unknown, script. */
    public static final String CURL = "curl/8.5.0";
    /** script, python-requests, unknown, script. */
    public static final String PYTHON_REQUESTS = "python-requests/2.32.3";
}
