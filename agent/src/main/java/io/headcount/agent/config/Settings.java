package io.headcount.agent.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's validated settings, one typed value per key of {@link SettingDefinitions#ALL}.
 * Immutable. Made by {@link SettingsLoader}.
 */
public final class Settings {
    /** What {@link #source(Setting)} says of a value no source gave. */
    public static final String DEFAULT_SOURCE = "default";

    private final Map<String, Object> values;
    private final Map<String, String> texts;
    private final Map<String, String> sources;
    private final List<String> sourceKinds;

    /**
     * @param values the parsed value of every setting by key (null only where unset is allowed)
     * @param texts the same values rendered as setting text, for {@link #toString()}
     * @param sources where each value given by the operator came from, by key; defaults are absent
     * @param sourceKinds the sources that gave at least one value, highest precedence first
     */
    Settings(Map<String, Object> values, Map<String, String> texts, Map<String, String> sources,
             List<String> sourceKinds) {
        this.values = Collections.unmodifiableMap(values);
        this.texts = Collections.unmodifiableMap(texts);
        this.sources = Collections.unmodifiableMap(sources);
        this.sourceKinds = Collections.unmodifiableList(sourceKinds);
    }

    /**
     * These settings with one default value replaced, as the agent lowers a default that would not
     * fit its heap; a value an operator gave is kept.
     *
     * @return this when the setting was given by a source
     */
    public <T> Settings withDefault(Setting<T> setting, T value) {
        if (sources.containsKey(setting.key())) {
            return this;
        }
        Map<String, Object> newValues = new LinkedHashMap<>(values);
        Map<String, String> newTexts = new LinkedHashMap<>(texts);
        newValues.put(setting.key(), value);
        newTexts.put(setting.key(), String.valueOf(value));
        return new Settings(newValues, newTexts, sources, sourceKinds);
    }

    /**
     * Where the value came from, as the operator would set it again: {@code agent argument port=},
     * {@code system property headcount.port}, {@code environment variable HEADCOUNT_PORT},
     * {@code file <path> (port=)}, or {@code default}.
     */
    public String source(Setting<?> setting) {
        String source = sources.get(setting.key());
        return source == null ? DEFAULT_SOURCE : source;
    }

    /**
     * The sources that gave a value, highest precedence first, such as {@code agent argument,
     * environment}; {@code defaults only} when none did.
     */
    public String sourcesSummary() {
        return sourceKinds.isEmpty() ? "defaults only" : String.join(", ", sourceKinds);
    }

    /** The value of any setting, such as one added after the named getters below. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (!values.containsKey(setting.key())) {
            throw new IllegalArgumentException("not a setting of Settings: " + setting.key());
        }
        return (T) values.get(setting.key());
    }

    /** Every setting as {@code key=value}, in definition order, the Redis password masked. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("Settings{");
        String separator = "";
        for (Setting<?> setting : SettingDefinitions.ALL) {
            if (texts.containsKey(setting.key())) {
                out.append(separator).append(setting.key()).append('=').append(texts.get(setting.key()));
                separator = ", ";
            }
        }
        return out.append('}').toString();
    }
}
