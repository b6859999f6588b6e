package io.headcount.agent.classify;

/** The coarse facts kept of a User-Agent header, spelled exactly as the contract's label values. */
public final class UserAgentInfo {
    public static final String CLIENT_BROWSER = "browser";
    public static final String CLIENT_SCRIPT = "script";
    public static final String CLIENT_BOT = "bot";
    public static final String UNKNOWN = "unknown";

    /** {@code browser}, {@code script}, {@code bot} or {@code unknown}. */
    public final String client;
    /** A contract browser name, a script's tool name, {@code bot} or {@code unknown}. */
    public final String browser;
    /** {@code Windows macOS Linux Android iOS ChromeOS unknown}. */
    public final String os;
    /** {@code desktop mobile tablet bot script unknown}. */
    public final String device;

    public UserAgentInfo(String client, String browser, String os, String device) {
        this.client = client;
        this.browser = browser;
        this.os = os;
        this.device = device;
    }

    public boolean isBot() {
        return CLIENT_BOT.equals(client);
    }

    @Override
    public String toString() {
        return client + "/" + browser + "/" + os + "/" + device;
    }
}
