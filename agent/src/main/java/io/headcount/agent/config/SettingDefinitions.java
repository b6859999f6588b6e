package io.headcount.agent.config;

import io.headcount.agent.classify.ClientRules;
import io.headcount.agent.net.Cidr;
import io.headcount.agent.net.ForwardedHeader;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Every setting the agent reads, with its default and meaning: the one place a new setting is
 * added (a constant here and its entry in {@link #ALL}, plus its row in docs/configuration.md,
 * which a test checks). {@link #helpTable()} renders them for {@code --help}.
 */
public final class SettingDefinitions {
    public static final Setting<Boolean> ENABLED = Setting.of("enabled", "true",
            SettingType.bool(), "master switch; false leaves the app untouched");
    public static final Setting<String> HOST = Setting.of("host", "0.0.0.0",
            SettingType.host(), "address the metrics endpoint binds");
    public static final Setting<Integer> PORT = Setting.of("port", "9465",
            SettingType.integer(0, 65535), "metrics endpoint port (0 = pick a free one and log it)");
    public static final Setting<String> REDIS_URL = Setting.secret("redis.url", null,
            SettingType.redisUrl(), "Redis that instances share visitors through; unset = in-memory mode");
    public static final Setting<Boolean> REDIS_CLUSTER = Setting.of("redis.cluster", "false",
            SettingType.bool(), "redis.url names a node of a Redis Cluster");
    public static final Setting<String> REDIS_KEY_PREFIX = Setting.of("redis.key-prefix", "headcount",
            SettingType.keyPrefix(), "start of every Redis key; give each app its own");
    public static final Setting<Integer> REDIS_TIMEOUT_MS = Setting.of("redis.timeout-ms", "1000",
            SettingType.integer(50, 60_000), "Redis connect timeout, and how late a reply may be before Redis counts as down (ms)");
    // Redis over TLS with a private CA (issue 15)
    public static final Setting<String> REDIS_TLS_CA_FILE = Setting.of("redis.tls.ca-file", null,
            SettingType.pemCertificates("a path to a readable file of PEM certificates, or empty for the JVM's trusted CAs"),
            "PEM file of the CA certificates a rediss:// server's certificate must chain to (private CAs)");
    // Exact visitors through start-up and outages (docs/redis.md)
    public static final Setting<Integer> REDIS_HOLD_MAX_VISITS = Setting.of("redis.hold.max-visits", "50000",
            SettingType.integer(0, 10_000_000), "visits held while the day's shared salt is on its way; past it they are counted alone");
    public static final Setting<Integer> REDIS_HOLD_MAX_MS = Setting.of("redis.hold.max-ms", "30000",
            SettingType.integer(0, 3_600_000), "how long visits are held for the day's shared salt before they are counted alone");
    public static final Setting<Integer> REDIS_BACKLOG_MAX = Setting.of("redis.backlog.max", "100000",
            SettingType.integer(0, 10_000_000), "new visitor fingerprints kept while Redis is away; past it they are counted alone");
    /** Tomcat RemoteIpValve's internalProxies: where proxies and load balancers live (issue 17). */
    public static final Setting<List<Cidr>> TRUSTED_PROXIES = Setting.of("trusted-proxies",
            "10.0.0.0/8,192.168.0.0/16,169.254.0.0/16,127.0.0.0/8,100.64.0.0/10,172.16.0.0/12,::1,fc00::/7,fe80::/10",
            SettingType.cidrList(), "CIDRs whose forwarding header is believed (loopback, private, link-local)");
    public static final Setting<ForwardedHeader> FORWARDED_HEADER = Setting.of("forwarded-header", "X-Forwarded-For",
            SettingType.forwardedHeader(), "the one header whose proxy chain is read; the other is ignored");
    public static final Setting<Integer> ENDPOINT_MAX = Setting.of("endpoint.max", "200",
            SettingType.integer(1, 100_000), "distinct endpoint label values before new ones become other");
    public static final Setting<Integer> REFERRER_MAX = Setting.of("referrer.max", "100",
            SettingType.integer(1, 100_000), "distinct external referrer domains before new ones become other");
    public static final Setting<List<String>> EXCLUDE_PATHS = Setting.of("exclude.paths", "/health*,/metrics*,/favicon.ico",
            SettingType.globList(), "path globs not counted at all");
    // Issue 16: named clients, and exclusions beside the paths (docs/configuration.md).
    public static final Setting<ClientRules> CLIENTS = Setting.of("clients", null,
            SettingType.clientRules(), "named client rules name:regex separated by ; (a group in the regex captures the version)");
    public static final Setting<List<Cidr>> EXCLUDE_IPS = Setting.of("exclude.ips", null,
            SettingType.cidrList("comma-separated CIDR blocks such as 10.1.0.0/16,::1, or empty for none"),
            "CIDRs of client addresses (as resolved through trusted-proxies) not counted at all");
    public static final Setting<List<String>> EXCLUDE_USER_AGENTS = Setting.of("exclude.user-agents",
            "kube-probe/,ELB-HealthChecker/,GoogleHC/,Consul Health Check,Amazon-Route53-Health-Check,"
                    + "Azure Traffic Manager,AlwaysOn,Envoy/HC,Blackbox Exporter/,Prometheus/,vm_promscrape,GrafanaAgent/",
            SettingType.userAgentPrefixes(), "User-Agent prefixes (health checkers, metric scrapers) not counted at all; empty = none");
    public static final Setting<ZoneId> DAY_ZONE = Setting.of("day.zone", "UTC",
            SettingType.zone(), "time zone whose midnight starts a new visitor day");
    public static final Setting<Integer> VISITORS_MAX = Setting.of("visitors.max", "1000000",
            SettingType.integer(1_000, 100_000_000), "visitors remembered per visitor day in memory; later ones that day are not counted as visitors");
    /** Issue 15: exact sets, or HyperLogLogs of fixed size for internet scale (docs/redis.md). */
    public static final Setting<String> VISITORS_MODE = Setting.of("visitors.mode", "exact",
            SettingType.choice("exact", "approximate"),
            "Redis mode: exact (a set member per visitor) or approximate (HyperLogLogs, about 12 KB a key, error about 1%)");
    // Consent signals and the signed-in share (issue 16)
    public static final Setting<Boolean> RESPECT_GPC = Setting.of("respect-gpc", "true",
            SettingType.bool(), "a request with Sec-GPC: 1 is counted, its visitor never hashed or kept");
    public static final Setting<Boolean> RESPECT_DNT = Setting.of("respect-dnt", "true",
            SettingType.bool(), "a request with DNT: 1 is counted, its visitor never hashed or kept");
    public static final Setting<String> AUTH_COOKIE = Setting.of("auth.cookie", null,
            SettingType.cookieName(), "cookie whose presence marks a signed-in request (only its presence is read); unset = none");
    public static final Setting<Integer> QUEUE_CAPACITY = Setting.of("queue.capacity", "8192",
            SettingType.powerOfTwo(16, 1 << 20), "requests waiting for the worker before new ones are dropped and counted");

    public static final Setting<String> LOG_LEVEL = Setting.of("log.level", "info",
            SettingType.choice("off", "error", "warn", "info", "debug"),
            "the agent's log lines on standard error; debug adds its libraries' (Redis client) lines");

    // Access to the metrics endpoint: HTTP basic authentication and TLS; all unset by default.
    public static final Setting<String> METRICS_USERNAME = Setting.of("metrics.username", null,
            SettingType.userName(), "user name the metrics endpoint asks for (HTTP basic); unset = no authentication");
    public static final Setting<String> METRICS_PASSWORD_FILE = Setting.of("metrics.password-file", null,
            SettingType.readableFile("a path to a readable file holding the password, or empty for none"),
            "file holding the metrics password (one line); or use metrics.password-env");
    public static final Setting<String> METRICS_PASSWORD_ENV = Setting.of("metrics.password-env", null,
            SettingType.environmentName(), "name of the environment variable holding the metrics password");
    public static final Setting<String> METRICS_TLS_KEYSTORE = Setting.of("metrics.tls.keystore", null,
            SettingType.readableFile("a path to a readable PKCS#12 keystore, or empty for plain HTTP"),
            "PKCS#12 keystore with the endpoint's key and certificate; set = serve HTTPS only");
    public static final Setting<String> METRICS_TLS_KEYSTORE_PASSWORD_FILE = Setting.of(
            "metrics.tls.keystore-password-file", null,
            SettingType.readableFile("a path to a readable file holding the keystore password, or empty for none"),
            "file holding the keystore password (one line); or use metrics.tls.keystore-password-env");
    public static final Setting<String> METRICS_TLS_KEYSTORE_PASSWORD_ENV = Setting.of(
            "metrics.tls.keystore-password-env", null,
            SettingType.environmentName(), "name of the environment variable holding the keystore password");

    // Diagnostic settings (issue 14): each switches one part of the agent off, to measure what it
    // costs the app. Not for production: with any of them off, some or all requests go uncounted.
    public static final Setting<String> DIAGNOSTIC_ADVICE = Setting.of("diagnostic.advice", "record",
            SettingType.choice("record", "noop"),
            "diagnostic: noop = the woven advice returns at once, reads nothing and offers nothing");
    public static final Setting<String> DIAGNOSTIC_HEADERS = Setting.of("diagnostic.headers", "all",
            SettingType.choice("all", "user-agent", "servlet-api"),
            "diagnostic: user-agent = the advice reads no header but User-Agent (no referrer, no proxy chain);"
                    + " servlet-api = every header through getHeader, none in one pass over Tomcat's");
    public static final Setting<String> DIAGNOSTIC_WEAVE = Setting.of("diagnostic.weave", "all",
            SettingType.choice("all", "servlets"),
            "diagnostic: servlets = classes with doFilter but no service method (filters) are not woven");
    public static final Setting<String> DIAGNOSTIC_WORKER = Setting.of("diagnostic.worker", "record",
            SettingType.choice("record", "discard"),
            "diagnostic: discard = the worker takes events off the queue and drops them unprocessed");

    /** Every setting, in the order of the documentation and the help table. */
    public static final List<Setting<?>> ALL = Collections.unmodifiableList(Arrays.asList(
            ENABLED, HOST, PORT, REDIS_URL, REDIS_CLUSTER, REDIS_KEY_PREFIX, REDIS_TIMEOUT_MS, REDIS_TLS_CA_FILE,
            REDIS_HOLD_MAX_VISITS, REDIS_HOLD_MAX_MS, REDIS_BACKLOG_MAX,
            TRUSTED_PROXIES, FORWARDED_HEADER,
            ENDPOINT_MAX, REFERRER_MAX, CLIENTS, EXCLUDE_PATHS, EXCLUDE_IPS, EXCLUDE_USER_AGENTS,
            DAY_ZONE, VISITORS_MAX, VISITORS_MODE, RESPECT_GPC, RESPECT_DNT, AUTH_COOKIE, QUEUE_CAPACITY,
            LOG_LEVEL,
            METRICS_USERNAME, METRICS_PASSWORD_FILE, METRICS_PASSWORD_ENV,
            METRICS_TLS_KEYSTORE, METRICS_TLS_KEYSTORE_PASSWORD_FILE, METRICS_TLS_KEYSTORE_PASSWORD_ENV,
            DIAGNOSTIC_ADVICE, DIAGNOSTIC_HEADERS, DIAGNOSTIC_WEAVE, DIAGNOSTIC_WORKER));

    /**
     * Names the properties file; read from the agent argument, the system property
     * {@code headcount.config} or {@code HEADCOUNT_CONFIG}, never from the file itself.
     */
    public static final Setting<String> CONFIG = Setting.of("config", null,
            SettingType.text("a path to a readable properties file, or empty for none"),
            "properties file with more settings (plain keys such as port=9465)");

    /** Longer defaults wrap in the help table, so that the meanings stay on screen. */
    private static final int HELP_DEFAULT_WIDTH = 32;

    private SettingDefinitions() {
    }

    /** The setting with this key (not {@link #CONFIG}), or null. */
    public static Setting<?> find(String key) {
        for (Setting<?> setting : ALL) {
            if (setting.key().equals(key)) {
                return setting;
            }
        }
        return null;
    }

    /** Every key of {@link #ALL}, in order. */
    public static List<String> keys() {
        List<String> keys = new ArrayList<>(ALL.size());
        for (Setting<?> setting : ALL) {
            keys.add(setting.key());
        }
        return keys;
    }

    /**
     * A plain-text table of every setting and {@code config}: key, default and meaning, one
     * setting a line, columns aligned with spaces, each line ending in a line feed.
     */
    public static String helpTable() {
        List<Setting<?>> rows = new ArrayList<>(ALL);
        rows.add(CONFIG);
        int keyWidth = "key".length();
        int defaultWidth = "default".length();
        for (Setting<?> setting : rows) {
            keyWidth = Math.max(keyWidth, setting.key().length());
            for (String line : defaultLines(setting)) {
                defaultWidth = Math.max(defaultWidth, line.length());
            }
        }
        StringBuilder table = new StringBuilder();
        appendRow(table, keyWidth, defaultWidth, "key", "default", "meaning");
        for (Setting<?> setting : rows) {
            List<String> lines = defaultLines(setting);
            appendRow(table, keyWidth, defaultWidth, setting.key(), lines.get(0), setting.meaning());
            for (String more : lines.subList(1, lines.size())) {
                table.append(pad("", keyWidth)).append("  ").append(more).append('\n');
            }
        }
        return table.toString();
    }

    /** The shown default, a long list cut after commas into lines of at most {@link #HELP_DEFAULT_WIDTH}. */
    private static List<String> defaultLines(Setting<?> setting) {
        String shown = setting.defaultText() == null ? "(unset)" : setting.defaultText();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        String[] items = shown.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            String item = i < items.length - 1 ? items[i] + "," : items[i];
            if (line.length() > 0 && line.length() + item.length() > HELP_DEFAULT_WIDTH) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(item);
        }
        lines.add(line.toString());
        return lines;
    }

    private static void appendRow(StringBuilder table, int keyWidth, int defaultWidth,
                                  String key, String defaultText, String meaning) {
        table.append(pad(key, keyWidth)).append("  ").append(pad(defaultText, defaultWidth))
                .append("  ").append(meaning).append('\n');
    }

    private static String pad(String text, int width) {
        StringBuilder padded = new StringBuilder(text);
        while (padded.length() < width) {
            padded.append(' ');
        }
        return padded.toString();
    }
}
