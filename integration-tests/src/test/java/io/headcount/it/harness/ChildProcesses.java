package io.headcount.it.harness;

import java.util.concurrent.TimeUnit;

/** Ending the processes a test started, by their own handles only. */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /** SIGTERM, then a forced kill if the process lingers for 10 seconds. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
