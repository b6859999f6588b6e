package io.headcount.agent;

import io.headcount.agent.config.SettingDefinitions;
import io.headcount.agent.config.Settings;
import io.headcount.agent.visitors.InMemoryVisitorTracker;
import io.headcount.agent.visitors.RedisVisitorTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * Lowers the defaults of the two settings that size the agent's largest tables when the app's heap
 * is too small for them: full, the visitor tables take 46 MiB (122 MiB in Redis mode) and the queue
 * about 30 MB, which an app started with {@code -Xmx64m} does not have. At most an eighth of the
 * heap goes to the visitor tables and a sixteenth to the queue, so that even an attacker who makes
 * a new visitor with every request (a new User-Agent each time) cannot take the app's heap. A value
 * an operator set is kept whatever the heap.
 */
final class HeapSizedDefaults {
    /** The queue's most per slot, every event as long as the bounds let it be (queue.capacity in docs/configuration.md). */
    static final long QUEUE_BYTES_PER_SLOT = 30L * 1000 * 1000 / 8192;
    static final int MIN_VISITORS = 1000;
    static final int MIN_QUEUE = 256;

    /** The settings, and one line that says what was lowered, or null when nothing was. */
    static final class Sized {
        final Settings settings;
        final String line;

        Sized(Settings settings, String line) {
            this.settings = settings;
            this.line = line;
        }
    }

    private HeapSizedDefaults() {
    }

    /** @param maxHeap {@link Runtime#maxMemory()}; {@link Long#MAX_VALUE} when the JVM sets no limit */
    static Sized apply(Settings settings, long maxHeap) {
        boolean redis = settings.get(SettingDefinitions.REDIS_URL) != null;
        List<String> lowered = new ArrayList<>();
        Settings sized = settings;
        int visitors = settings.get(SettingDefinitions.VISITORS_MAX);
        int fitting = visitorsThatFit(visitors, maxHeap / 8, redis);
        if (fitting < visitors && Settings.DEFAULT_SOURCE.equals(settings.source(SettingDefinitions.VISITORS_MAX))) {
            sized = sized.withDefault(SettingDefinitions.VISITORS_MAX, fitting);
            lowered.add("visitors.max " + fitting + " instead of " + visitors);
        }
        int capacity = settings.get(SettingDefinitions.QUEUE_CAPACITY);
        int fittingQueue = queueThatFits(capacity, maxHeap / 16);
        if (fittingQueue < capacity && Settings.DEFAULT_SOURCE.equals(settings.source(SettingDefinitions.QUEUE_CAPACITY))) {
            sized = sized.withDefault(SettingDefinitions.QUEUE_CAPACITY, fittingQueue);
            lowered.add("queue.capacity " + fittingQueue + " instead of " + capacity);
        }
        if (lowered.isEmpty()) {
            return new Sized(settings, null);
        }
        return new Sized(sized, "a heap of " + maxHeap / (1024 * 1024) + " MiB: " + String.join(" and ", lowered)
                + ", so that the visitor tables hold at most an eighth of it and the queue a sixteenth;"
                + " set them to choose otherwise");
    }

    static int visitorsThatFit(int visitors, long budget, boolean redis) {
        return halvedToFit(visitors, MIN_VISITORS, budget,
                n -> redis ? RedisVisitorTracker.tableBytesAt(n) : InMemoryVisitorTracker.tableBytesAt(n));
    }

    static int queueThatFits(int capacity, long budget) {
        return halvedToFit(capacity, MIN_QUEUE, budget, n -> n * QUEUE_BYTES_PER_SLOT);
    }

    /**
     * {@code size}, halved until what it takes ({@code bytes}) fits in {@code budget}, but not below
     * {@code least}; a size already at or below {@code least} is kept.
     */
    static int halvedToFit(int size, int least, long budget, IntToLongFunction bytes) {
        int n = size;
        while (n > least && bytes.applyAsLong(n) > budget) {
            n = Math.max(least, n / 2);
        }
        return n;
    }
}
