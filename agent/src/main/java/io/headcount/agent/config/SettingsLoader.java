package io.headcount.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads settings from their four sources, highest precedence first: the agent argument string,
 * the system properties {@code headcount.<key>}, the environment variables
 * {@code HEADCOUNT_<KEY>}, and the properties file named by {@code config}. Unknown keys are
 * errors in every source but the environment, which many programs share: there only known
 * names are read. Only the value that wins is validated, so a higher source can override a
 * bad lower one.
 */
public final class SettingsLoader {
    private static final String FILE_SOURCE_PREFIX = "file ";

    private SettingsLoader() {
    }

    /** Loads from this JVM's system properties and environment. */
    public static Settings load(String agentArgs) throws InvalidSettingsException {
        Properties properties = System.getProperties();
        Map<String, String> systemProperties = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            String value = properties.getProperty(name);
            if (value != null) {
                systemProperties.put(name, value);
            }
        }
        return load(agentArgs, systemProperties, System.getenv());
    }

    /**
     * @param agentArgs the text after {@code =} in {@code -javaagent:headcount-agent.jar=...}; may be null
     * @param systemProperties all system properties; only {@code headcount.*} ones are read
     * @param environment all environment variables; only those of known keys are read
     * @throws InvalidSettingsException for an unknown key, a bad value or an unreadable file,
     *         with a one-line message naming the key, the value, its source and what is allowed
     */
    public static Settings load(String agentArgs, Map<String, String> systemProperties,
                                Map<String, String> environment) throws InvalidSettingsException {
        Map<String, String> arguments = AgentArguments.parse(agentArgs);
        Map<String, String> properties = headcountProperties(systemProperties);
        Map<String, String> env = environment == null ? Collections.<String, String>emptyMap() : environment;
        // Switched off where the operator starts the JVM: not even the settings file is read.
        Settings offBeforeTheFile = offIfDisabled(find(SettingDefinitions.ENABLED, arguments, properties, env,
                null, null));
        if (offBeforeTheFile != null) {
            return offBeforeTheFile;
        }
        try {
            return loadAll(arguments, properties, env);
        } catch (InvalidSettingsException e) {
            // Switched off, the agent uses no other setting, so no other one can be an error.
            Settings off = offIfDisabled(find(SettingDefinitions.ENABLED, arguments, properties, env,
                    readableFile(arguments, properties, env), "the settings file"));
            if (off != null) {
                return off;
            }
            throw e;
        }
    }

    private static Settings loadAll(Map<String, String> arguments, Map<String, String> properties,
                                    Map<String, String> env) throws InvalidSettingsException {

        List<String> keysOutsideFile = new ArrayList<>(SettingDefinitions.keys());
        keysOutsideFile.add(SettingDefinitions.CONFIG.key());
        for (Map.Entry<String, String> argument : arguments.entrySet()) {
            rejectUnknown(argument.getKey(), argument.getValue(), AgentArguments.SOURCE, keysOutsideFile);
        }
        for (Map.Entry<String, String> property : properties.entrySet()) {
            rejectUnknown(property.getKey(), property.getValue(),
                    "system property " + Setting.propertyPrefix() + property.getKey(), keysOutsideFile);
        }

        Source fileName = find(SettingDefinitions.CONFIG, arguments, properties, env, null, null);
        Map<String, String> file = Collections.emptyMap();
        String fileSource = null;
        if (fileName != null && !fileName.text.trim().isEmpty()) {
            String path = fileName.text.trim();
            String namedBy = fileName.description.equals(AgentArguments.SOURCE)
                    ? AgentArguments.SOURCE + " config=" : fileName.description;
            file = SettingsFile.read(path, namedBy);
            fileSource = FILE_SOURCE_PREFIX + LogText.oneLine(path);
            for (Map.Entry<String, String> entry : file.entrySet()) {
                if (entry.getKey().equals(SettingDefinitions.CONFIG.key())) {
                    throw new InvalidSettingsException("Setting 'config' cannot be set inside a settings file ("
                            + fileSource + "); allowed: the agent argument config=, the system property "
                            + SettingDefinitions.CONFIG.systemProperty() + " or the environment variable "
                            + SettingDefinitions.CONFIG.environmentVariable());
                }
                rejectUnknown(entry.getKey(), entry.getValue(), fileSource, SettingDefinitions.keys());
            }
        }

        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, String> descriptions = new HashMap<>();
        Set<String> kinds = new TreeSet<>();
        for (Setting<?> setting : SettingDefinitions.ALL) {
            Source source = find(setting, arguments, properties, env, file, fileSource);
            resolve(setting, source, values, texts);
            if (source != null) {
                sources.put(setting.key(), source.setAgain);
                descriptions.put(setting.key(), source.description);
                kinds.add(source.kind);
            }
        }
        // The kinds sort by their precedence digit; the summary shows them without it.
        List<String> summary = new ArrayList<>();
        for (String kind : kinds) {
            summary.add(kind.substring(2));
        }
        Settings settings = new Settings(values, texts, sources, summary);
        MetricsAccess.read(settings, env, descriptions::get);
        return settings;
    }

    /** The settings file's keys and values, or an empty map when there is none or it cannot be read. */
    private static Map<String, String> readableFile(Map<String, String> arguments, Map<String, String> properties,
                                                    Map<String, String> env) {
        Source fileName = find(SettingDefinitions.CONFIG, arguments, properties, env, null, null);
        if (fileName == null || fileName.text.trim().isEmpty()) {
            return Collections.emptyMap();
        }
        try {
            return SettingsFile.read(fileName.text.trim(), fileName.description);
        } catch (InvalidSettingsException e) {
            return Collections.emptyMap();
        }
    }

    /** Settings that only say the agent is off, or null when {@code enabled} is not a valid false. */
    private static Settings offIfDisabled(Source enabled) {
        if (enabled == null) {
            return null;
        }
        try {
            if (SettingDefinitions.ENABLED.type().parse(enabled.text.trim())) {
                return null;
            }
        } catch (InvalidValueException e) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(SettingDefinitions.ENABLED.key(), Boolean.FALSE);
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put(SettingDefinitions.ENABLED.key(), "false");
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(SettingDefinitions.ENABLED.key(), enabled.setAgain);
        return new Settings(values, texts, sources, Collections.singletonList(enabled.kind.substring(2)));
    }

    private static <T> void resolve(Setting<T> setting, Source source, Map<String, Object> values,
                                    Map<String, String> texts) throws InvalidSettingsException {
        String text = source == null ? setting.defaultText() : source.text.trim();
        if (text == null) {
            values.put(setting.key(), null);
            texts.put(setting.key(), "(unset)");
            return;
        }
        T value;
        try {
            value = setting.type().parse(text);
        } catch (InvalidValueException e) {
            if (source == null) {
                throw new IllegalStateException("default of " + setting.key() + " is invalid", e);
            }
            throw new InvalidSettingsException(invalidValue(setting, text, source.description, e));
        }
        values.put(setting.key(), value);
        texts.put(setting.key(), value == null ? "(unset)" : setting.type().format(text, value));
    }

    /** The highest-precedence source that has the setting, or null for its default. */
    private static Source find(Setting<?> setting, Map<String, String> arguments, Map<String, String> properties,
                               Map<String, String> environment, Map<String, String> file, String fileSource) {
        String key = setting.key();
        if (arguments.containsKey(key)) {
            return new Source(arguments.get(key), AgentArguments.SOURCE, "1 agent argument",
                    AgentArguments.SOURCE + " " + key + "=");
        }
        if (properties.containsKey(key)) {
            return new Source(properties.get(key), "system property " + setting.systemProperty(),
                    "2 system properties", "system property " + setting.systemProperty());
        }
        String fromEnvironment = environment.get(setting.environmentVariable());
        if (fromEnvironment != null) {
            return new Source(fromEnvironment, "environment " + setting.environmentVariable(), "3 environment",
                    "environment variable " + setting.environmentVariable());
        }
        if (file != null && file.containsKey(key)) {
            return new Source(file.get(key), fileSource, "4 " + fileSource, fileSource + " (" + key + "=)");
        }
        return null;
    }

    /** The {@code headcount.*} system properties by key, sorted so that errors come in a stable order. */
    private static Map<String, String> headcountProperties(Map<String, String> systemProperties) {
        Map<String, String> properties = new TreeMap<>();
        if (systemProperties == null) {
            return properties;
        }
        for (Map.Entry<String, String> property : systemProperties.entrySet()) {
            String name = property.getKey();
            if (name != null && property.getValue() != null && name.startsWith(Setting.propertyPrefix())) {
                properties.put(name.substring(Setting.propertyPrefix().length()), property.getValue());
            }
        }
        return properties;
    }

    private static void rejectUnknown(String key, String value, String source, List<String> known)
            throws InvalidSettingsException {
        if (known.contains(key)) {
            return;
        }
        StringBuilder message = new StringBuilder("Unknown setting ").append(LogText.quote(key))
                .append(" with value ").append(LogText.quote(SecretMask.maskPassword(value.trim())))
                .append(" (").append(source).append("); allowed keys: ").append(String.join(", ", known));
        appendSuggestion(message, KeySuggestions.closest(key, known));
        throw new InvalidSettingsException(message.toString());
    }

    private static String invalidValue(Setting<?> setting, String text, String source, InvalidValueException e) {
        StringBuilder message = new StringBuilder("Invalid value ")
                .append(LogText.quote(setting.printable(text)))
                .append(" for setting '").append(setting.key()).append("' (").append(source).append(')');
        if (e.detail() != null) {
            message.append(": ").append(LogText.oneLine(e.detail()));
        }
        message.append("; allowed: ").append(setting.allowed());
        appendSuggestion(message, e.suggestion());
        return message.toString();
    }

    private static void appendSuggestion(StringBuilder message, String suggestion) {
        if (suggestion != null) {
            message.append("; did you mean '").append(suggestion).append("'?");
        }
    }

    /** A raw value and where it came from, such as "environment HEADCOUNT_PORT". */
    private static final class Source {
        final String text;
        /** For error messages: "environment HEADCOUNT_PORT". */
        final String description;
        /** For the start line's summary, after a digit that sorts it by precedence: "3 environment". */
        final String kind;
        /** How the operator sets it again: "environment variable HEADCOUNT_PORT". */
        final String setAgain;

        Source(String text, String description, String kind, String setAgain) {
            this.text = text;
            this.description = description;
            this.kind = kind;
            this.setAgain = setAgain;
        }
    }
}
