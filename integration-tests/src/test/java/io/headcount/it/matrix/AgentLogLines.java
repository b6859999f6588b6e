package io.headcount.it.matrix;

import io.headcount.it.harness.AppProcess;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests read from the agent's log lines. */
final class AgentLogLines {
    private static final Pattern METRICS =
            Pattern.compile(".*\\[headcount\\] counting requests; metrics at http://[^ ]+:(\\d+)/metrics$");

    private AgentLogLines() {
    }

    /**
     * Waits until the agent in the app says where its metrics are (it was given {@code port=0}) and
     * returns that port; fails with the app's output if it never does. The agent opens its
     * endpoint after the app's first request, or a few seconds after its start.
     */
    static int metricsPort(AppProcess app) {
        String line = app.awaitStderr(candidate -> METRICS.matcher(candidate).matches(), Duration.ofSeconds(30));
        if (line == null) {
            throw new AssertionError("the agent never said where its metrics are\n" + app.output());
        }
        Matcher matcher = METRICS.matcher(line);
        matcher.matches();
        return Integer.parseInt(matcher.group(1));
    }
}
