package io.headcount.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.agent.bootstrap.EventQueue;
import io.headcount.agent.bootstrap.HeadcountSink;
import io.headcount.agent.config.InvalidSettingsException;
import io.headcount.agent.config.SettingDefinitions;
import io.headcount.agent.config.SettingsLoader;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The diagnostic settings (issue 14): what the sink is given, and values validated like any setting's. */
class DiagnosticSettingsTest {
    private final EventQueue queue = new EventQueue(16);

    @AfterEach
    void uninstall() {
        HeadcountSink.install(null);
    }

    @Test
    void byDefaultTheAdviceIsOnAndReadsEveryHeader() throws InvalidSettingsException {
        AgentRuntime.installSink(SettingsLoader.load("", Map.of(), Map.of()), queue);
        assertTrue(HeadcountSink.active());
        assertTrue(HeadcountSink.readsEveryHeader());
    }

    @Test
    void adviceNoopLeavesTheSinkOffSoTheAdviceReturnsAtOnce() throws InvalidSettingsException {
        AgentRuntime.installSink(SettingsLoader.load("diagnostic.advice=noop", Map.of(), Map.of()), queue);
        assertFalse(HeadcountSink.active());
    }

    @Test
    void headersUserAgentTellsTheAdviceToReadNoOtherHeader() throws InvalidSettingsException {
        AgentRuntime.installSink(SettingsLoader.load("diagnostic.headers=USER-AGENT", Map.of(), Map.of()), queue);
        assertTrue(HeadcountSink.active());
        assertFalse(HeadcountSink.readsEveryHeader());
    }

    @Test
    void defaultsAndValuesAreTheDocumentedOnes() throws InvalidSettingsException {
        assertEquals("record", SettingDefinitions.DIAGNOSTIC_ADVICE.defaultText());
        assertEquals("all", SettingDefinitions.DIAGNOSTIC_HEADERS.defaultText());
        assertEquals("all", SettingDefinitions.DIAGNOSTIC_WEAVE.defaultText());
        assertEquals("record", SettingDefinitions.DIAGNOSTIC_WORKER.defaultText());
        assertEquals("servlets", SettingsLoader.load("diagnostic.weave=servlets", Map.of(), Map.of())
                .get(SettingDefinitions.DIAGNOSTIC_WEAVE));
        assertEquals("discard", SettingsLoader.load(null, Map.of("headcount.diagnostic.worker", "Discard"), Map.of())
                .get(SettingDefinitions.DIAGNOSTIC_WORKER));
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> SettingsLoader.load("diagnostic.worker=off", Map.of(), Map.of()));
        assertEquals("Invalid value 'off' for setting 'diagnostic.worker' (agent argument); allowed: one of record, discard",
                error.getMessage());
    }
}
