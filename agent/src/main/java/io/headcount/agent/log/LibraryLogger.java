package io.headcount.agent.log;

import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MarkerIgnoringBase;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger of one of the agent's libraries (Lettuce, Netty, Reactor): their info, warn and
 * error lines go to the agent's log at {@code debug}, and nowhere else, so that a Redis outage is
 * the agent's one line per state change and not the libraries' lines several times a second. Their
 * own debug and trace lines are dropped: they describe every command.
 */
public final class LibraryLogger extends MarkerIgnoringBase {
    private static final long serialVersionUID = 1L;

    public LibraryLogger(String name) {
        this.name = name;
    }

    private static boolean shown() {
        return AgentLog.isEnabled(AgentLog.Level.DEBUG);
    }

    private void log(String level, String format, Object... arguments) {
        if (!shown()) {
            return;
        }
        FormattingTuple line = MessageFormatter.arrayFormat(format, arguments);
        String cause = line.getThrowable() == null ? "" : " (" + AgentLog.describe(line.getThrowable()) + ")";
        String shortName = name.substring(name.lastIndexOf('.') + 1);
        AgentLog.debug(shortName + " " + level + ": " + String.valueOf(line.getMessage()).replace('\n', ' ') + cause);
    }

    // Trace and debug: never shown.

    @Override public boolean isTraceEnabled() { return false; }
    @Override public void trace(String msg) { }
    @Override public void trace(String format, Object arg) { }
    @Override public void trace(String format, Object arg1, Object arg2) { }
    @Override public void trace(String format, Object... arguments) { }
    @Override public void trace(String msg, Throwable t) { }

    @Override public boolean isDebugEnabled() { return false; }
    @Override public void debug(String msg) { }
    @Override public void debug(String format, Object arg) { }
    @Override public void debug(String format, Object arg1, Object arg2) { }
    @Override public void debug(String format, Object... arguments) { }
    @Override public void debug(String msg, Throwable t) { }

    // Info, warn and error: shown at the agent's debug level.

    @Override public boolean isInfoEnabled() { return shown(); }
    @Override public void info(String msg) { log("info", msg); }
    @Override public void info(String format, Object arg) { log("info", format, arg); }
    @Override public void info(String format, Object arg1, Object arg2) { log("info", format, arg1, arg2); }
    @Override public void info(String format, Object... arguments) { log("info", format, arguments); }
    @Override public void info(String msg, Throwable t) { log("info", msg, t); }

    @Override public boolean isWarnEnabled() { return shown(); }
    @Override public void warn(String msg) { log("warn", msg); }
    @Override public void warn(String format, Object arg) { log("warn", format, arg); }
    @Override public void warn(String format, Object arg1, Object arg2) { log("warn", format, arg1, arg2); }
    @Override public void warn(String format, Object... arguments) { log("warn", format, arguments); }
    @Override public void warn(String msg, Throwable t) { log("warn", msg, t); }

    @Override public boolean isErrorEnabled() { return shown(); }
    @Override public void error(String msg) { log("error", msg); }
    @Override public void error(String format, Object arg) { log("error", format, arg); }
    @Override public void error(String format, Object arg1, Object arg2) { log("error", format, arg1, arg2); }
    @Override public void error(String format, Object... arguments) { log("error", format, arguments); }
    @Override public void error(String msg, Throwable t) { log("error", msg, t); }
}
