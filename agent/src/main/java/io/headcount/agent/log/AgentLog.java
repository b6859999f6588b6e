package io.headcount.agent.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The agent's few log lines, on standard error with a {@code [headcount]} prefix. The agent
 * brings no logging framework: it must not meet the app's own logging configuration. Its
 * libraries' own logging (Lettuce, Netty, Reactor) comes here too, and only at {@code debug}.
 */
public final class AgentLog {
    /** The {@code log.level} values, quietest first. */
    public enum Level {
        OFF, ERROR, WARN, INFO, DEBUG;

        /** The setting text of this level, such as {@code info}. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final ConcurrentHashMap<String, Long> LAST_LOGGED = new ConcurrentHashMap<>();
    /** Info until the settings say otherwise, so that a line about the settings themselves is seen. */
    private static volatile Level threshold = Level.INFO;

    private AgentLog() {
    }

    public static void setLevel(Level level) {
        threshold = level;
    }

    public static boolean isEnabled(Level level) {
        return level != Level.OFF && level.ordinal() <= threshold.ordinal();
    }

    public static void debug(String message) {
        print(Level.DEBUG, message);
    }

    public static void info(String message) {
        print(Level.INFO, message);
    }

    public static void warn(String message) {
        print(Level.WARN, message);
    }

    public static void error(String message) {
        print(Level.ERROR, message);
    }

    public static void error(String message, Throwable cause) {
        print(Level.ERROR, message + ": " + describe(cause));
    }

    /**
     * Logs at most once a minute per key, so that a failure on every request is one line, not a flood.
     *
     * @param cause what failed, or null when the message says it all
     */
    public static void errorAtMostOncePerMinute(String key, String message, Throwable cause) {
        if (!isEnabled(Level.ERROR)) {
            return;
        }
        long now = System.nanoTime();
        Long last = LAST_LOGGED.get(key);
        if (last != null && now - last < REPEAT_NANOS) {
            return;
        }
        LAST_LOGGED.put(key, now);
        if (cause == null) {
            error(message);
        } else {
            error(message, cause);
        }
    }

    public static String describe(Throwable cause) {
        String text = cause.getClass().getName();
        return cause.getMessage() == null ? text : text + ": " + cause.getMessage();
    }

    /** One line at {@code level}, when the threshold lets it through. */
    public static void print(Level level, String message) {
        if (!isEnabled(level)) {
            return;
        }
        PrintStream err = System.err;
        err.println(UtcTimestamp.of(Instant.now()) + " " + level.name() + " [headcount] " + message);
    }
}
