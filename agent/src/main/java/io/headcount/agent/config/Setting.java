package io.headcount.agent.config;

import java.util.Locale;

/**
 * One setting: its key, default, meaning and the values it allows. Immutable. The instances
 * live in {@link SettingDefinitions}; read a value with {@link Settings#get(Setting)}.
 *
 * @param <T> the type of the validated value
 */
public final class Setting<T> {
    private static final String PROPERTY_PREFIX = "headcount.";
    private static final String ENVIRONMENT_PREFIX = "HEADCOUNT_";

    private final String key;
    private final String defaultText;
    private final String meaning;
    private final SettingType<T> type;
    private final boolean secret;

    private Setting(String key, String defaultText, String meaning, SettingType<T> type, boolean secret) {
        this.key = key;
        this.defaultText = defaultText;
        this.meaning = meaning;
        this.type = type;
        this.secret = secret;
    }

    /** @param defaultText the default as setting text, or null for unset */
    static <T> Setting<T> of(String key, String defaultText, SettingType<T> type, String meaning) {
        return new Setting<>(key, defaultText, meaning, type, false);
    }

    /** A setting whose values may hold a password: printed only with the password masked. */
    static <T> Setting<T> secret(String key, String defaultText, SettingType<T> type, String meaning) {
        return new Setting<>(key, defaultText, meaning, type, true);
    }

    /** The one key, such as {@code endpoint.max}, as used in the agent argument and the file. */
    public String key() {
        return key;
    }

    /** The default as setting text; null when the setting is unset by default. */
    public String defaultText() {
        return defaultText;
    }

    /** What the setting does, in a few words. */
    public String meaning() {
        return meaning;
    }

    /** What values are allowed, in words, such as "an integer from 1 to 100000". */
    public String allowed() {
        return type.allowed();
    }

    /** {@code headcount.<key>}. */
    public String systemProperty() {
        return PROPERTY_PREFIX + key;
    }

    /** {@code HEADCOUNT_<KEY>}: upper case, with {@code .} and {@code -} turned into {@code _}. */
    public String environmentVariable() {
        return environmentVariable(key);
    }

    static String environmentVariable(String key) {
        return ENVIRONMENT_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static String propertyPrefix() {
        return PROPERTY_PREFIX;
    }

    SettingType<T> type() {
        return type;
    }

    /** The text as it may be printed: a secret setting's password masked. */
    String printable(String text) {
        return secret ? SecretMask.maskPassword(text) : text;
    }

    @Override
    public String toString() {
        return key;
    }
}
