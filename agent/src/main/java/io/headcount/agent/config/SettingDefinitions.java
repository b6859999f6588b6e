package io.headcount.agent.config;

import io.headcount.agent.classify.Cidr;
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
            SettingType.text("any text without spaces"), "start of every Redis key; give each app its own");
    public static final Setting<Integer> REDIS_TIMEOUT_MS = Setting.of("redis.timeout-ms", "1000",
            SettingType.integer(50, 60_000), "Redis connect timeout, and how late a reply may be before Redis counts as down (ms)");
    // Exact visitors through start-up and outages (docs/redis.md)
    public static final Setting<Integer> REDIS_HOLD_MAX_VISITS = Setting.of("redis.hold.max-visits", "50000",
            SettingType.integer(0, 10_000_000), "visits held while the day's shared salt is on its way; past it they are counted alone");
    public static final Setting<Integer> REDIS_HOLD_MAX_MS = Setting.of("redis.hold.max-ms", "30000",
            SettingType.integer(0, 3_600_000), "how long visits are held for the day's shared salt before they are counted alone");
    public static final Setting<Integer> REDIS_BACKLOG_MAX = Setting.of("redis.backlog.max", "100000",
            SettingType.integer(0, 10_000_000), "new visitor fingerprints kept while Redis is away; past it they are counted alone");
    public static final Setting<List<Cidr>> TRUSTED_PROXIES = Setting.of("trusted-proxies", "127.0.0.0/8,::1",
            SettingType.cidrList(), "CIDRs whose Forwarded / X-Forwarded-For headers are believed");
    public static final Setting<Integer> ENDPOINT_MAX = Setting.of("endpoint.max", "200",
            SettingType.integer(1, 100_000), "distinct endpoint label values before new ones become other");
    public static final Setting<Integer> REFERRER_MAX = Setting.of("referrer.max", "100",
            SettingType.integer(1, 100_000), "distinct external referrer domains before new ones become other");
    public static final Setting<List<String>> EXCLUDE_PATHS = Setting.of("exclude.paths", "/health*,/metrics*,/favicon.ico",
            SettingType.globList(), "path globs not counted at all");
    public static final Setting<ZoneId> DAY_ZONE = Setting.of("day.zone", "UTC",
            SettingType.zone(), "time zone whose midnight starts a new visitor day");
    public static final Setting<Integer> VISITORS_MAX = Setting.of("visitors.max", "1000000",
            SettingType.integer(1_000, 100_000_000), "visitors remembered per visitor day in memory; later ones are not deduplicated locally");
    public static final Setting<Integer> QUEUE_CAPACITY = Setting.of("queue.capacity", "8192",
            SettingType.powerOfTwo(16, 1 << 20), "requests waiting for the worker before new ones are dropped and counted");

    /** Every setting, in the order of the documentation and the help table. */
    public static final List<Setting<?>> ALL = Collections.unmodifiableList(Arrays.asList(
            ENABLED, HOST, PORT, REDIS_URL, REDIS_CLUSTER, REDIS_KEY_PREFIX, REDIS_TIMEOUT_MS,
            REDIS_HOLD_MAX_VISITS, REDIS_HOLD_MAX_MS, REDIS_BACKLOG_MAX, TRUSTED_PROXIES, ENDPOINT_MAX, REFERRER_MAX,
            EXCLUDE_PATHS, DAY_ZONE, VISITORS_MAX, QUEUE_CAPACITY));

    /**
     * Names the properties file; read from the agent argument, the system property
     * {@code headcount.config} or {@code HEADCOUNT_CONFIG}, never from the file itself.
     */
    public static final Setting<String> CONFIG = Setting.of("config", null,
            SettingType.text("a path to a readable properties file, or empty for none"),
            "properties file with more settings (plain keys such as port=9465)");

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
            defaultWidth = Math.max(defaultWidth, shownDefault(setting).length());
        }
        StringBuilder table = new StringBuilder();
        appendRow(table, keyWidth, defaultWidth, "key", "default", "meaning");
        for (Setting<?> setting : rows) {
            appendRow(table, keyWidth, defaultWidth, setting.key(), shownDefault(setting), setting.meaning());
        }
        return table.toString();
    }

    private static String shownDefault(Setting<?> setting) {
        return setting.defaultText() == null ? "(unset)" : setting.defaultText();
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
