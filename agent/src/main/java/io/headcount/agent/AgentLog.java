package io.headcount.agent;

import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The agent's few log lines, on standard error with a {@code [headcount]} prefix. The agent
 * brings no logging framework: it must not meet the app's own logging configuration.
 */
public final class AgentLog {
    private static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final ConcurrentHashMap<String, Long> LAST_LOGGED = new ConcurrentHashMap<>();

    private AgentLog() {
    }

    public static void info(String message) {
        print("INFO", message);
    }

    public static void warn(String message) {
        print("WARN", message);
    }

    public static void error(String message) {
        print("ERROR", message);
    }

    public static void error(String message, Throwable cause) {
        print("ERROR", message + ": " + describe(cause));
    }

    /**
     * Logs at most once a minute per key, so that a failure on every request is one line, not a flood.
     *
     * @param cause what failed, or null when the message says it all
     */
    public static void errorAtMostOncePerMinute(String key, String message, Throwable cause) {
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

    private static String describe(Throwable cause) {
        String text = cause.getClass().getName();
        return cause.getMessage() == null ? text : text + ": " + cause.getMessage();
    }

    private static void print(String level, String message) {
        PrintStream err = System.err;
        err.println(Instant.now() + " " + level + " [headcount] " + message);
    }
}
