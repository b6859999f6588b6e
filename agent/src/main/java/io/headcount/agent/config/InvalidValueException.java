package io.headcount.agent.config;

/** Thrown by a {@link SettingType} for text it does not accept; the loader adds key and source. */
final class InvalidValueException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String suggestion;

    /** @param detail what is wrong beyond "not allowed", or null */
    InvalidValueException(String detail) {
        this(detail, null);
    }

    /** @param suggestion an allowed value the operator probably meant, or null */
    InvalidValueException(String detail, String suggestion) {
        super(detail, null, false, false);
        this.suggestion = suggestion;
    }

    String detail() {
        return getMessage();
    }

    String suggestion() {
        return suggestion;
    }
}
