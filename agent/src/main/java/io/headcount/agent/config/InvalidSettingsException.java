package io.headcount.agent.config;

/** A setting that cannot be used; the message is the one log line an operator sees. */
public final class InvalidSettingsException extends Exception {
    public InvalidSettingsException(String message) {
        super(message);
    }
}
