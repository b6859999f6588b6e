package io.headcount.agent.config;

import java.util.Map;

/** Reads settings from their four sources, highest precedence first. */
public final class SettingsLoader {
    private SettingsLoader() {
    }

    public static Settings load(String agentArgs, Map<String, String> systemProperties,
                                Map<String, String> environment) throws InvalidSettingsException {
        throw new UnsupportedOperationException("TODO");
    }
}
