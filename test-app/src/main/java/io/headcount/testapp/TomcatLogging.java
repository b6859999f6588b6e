package io.headcount.testapp;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps Tomcat's console output to warnings, one line each (no stack traces), so that the lines an
 * agent writes stay easy to find. Only the {@code org.apache} loggers are touched; the root logger,
 * which an agent might use, keeps its JDK defaults.
 */
final class TomcatLogging {
    // JUL holds loggers weakly: this reference keeps the level and handler set here alive.
    private final Logger tomcat = Logger.getLogger("org.apache");

    void quiet() {
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        handler.setFormatter(new OneLine());
        tomcat.setUseParentHandlers(false);
        tomcat.addHandler(handler);
        tomcat.setLevel(Level.WARNING);
    }

    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord record) {
            String line = "tomcat " + record.getLevel() + ": " + formatMessage(record);
            Throwable thrown = record.getThrown();
            if (thrown != null) {
                line += " (" + thrown + ")";
            }
            return line + System.lineSeparator();
        }
    }
}
