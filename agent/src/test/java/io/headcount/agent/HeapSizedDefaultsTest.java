package io.headcount.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.headcount.agent.config.SettingDefinitions;
import io.headcount.agent.config.Settings;
import io.headcount.agent.config.SettingsLoader;
import io.headcount.agent.visitors.InMemoryVisitorTracker;
import io.headcount.agent.visitors.RedisVisitorTracker;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapSizedDefaultsTest {
    private static final long MIB = 1024 * 1024;

    private static Settings load(String arguments) throws Exception {
        return SettingsLoader.load(arguments, Map.of(), Map.of());
    }

    @Test
    void aLargeHeapKeepsTheDefaults() throws Exception {
        Settings settings = load("");
        HeapSizedDefaults.Sized sized = HeapSizedDefaults.apply(settings, 1024 * MIB);

        assertSame(settings, sized.settings);
        assertNull(sized.line);
        assertNull(HeapSizedDefaults.apply(settings, Long.MAX_VALUE).line);
    }

    @Test
    void aSmallHeapLowersBothDefaultsToAnEighthAndASixteenth() throws Exception {
        HeapSizedDefaults.Sized sized = HeapSizedDefaults.apply(load(""), 256 * MIB);

        assertEquals(500_000, sized.settings.get(SettingDefinitions.VISITORS_MAX));
        assertEquals(4096, sized.settings.get(SettingDefinitions.QUEUE_CAPACITY));
        assertEquals("a heap of 256 MiB: visitors.max 500000 instead of 1000000 and queue.capacity 4096 instead of"
                + " 8192, so that the visitor tables hold at most an eighth of it and the queue a sixteenth; set them"
                + " to choose otherwise", sized.line);
        assertEquals(24_117_248, InMemoryVisitorTracker.tableBytesAt(500_000));
        assertEquals("default", sized.settings.source(SettingDefinitions.VISITORS_MAX));
    }

    @Test
    void redisModesTablesAreLargerSoItsVisitorsFewer() throws Exception {
        HeapSizedDefaults.Sized sized = HeapSizedDefaults.apply(load("redis.url=redis://127.0.0.1:6379"), 256 * MIB);

        assertEquals(250_000, sized.settings.get(SettingDefinitions.VISITORS_MAX));
        assertEquals(31_981_568, RedisVisitorTracker.tableBytesAt(250_000));
        assertEquals(127_926_272, RedisVisitorTracker.tableBytesAt(1_000_000));
    }

    @Test
    void aTinyHeapGetsTheLeastOfEach() throws Exception {
        HeapSizedDefaults.Sized sized = HeapSizedDefaults.apply(load(""), 16 * MIB);

        assertEquals(31_250, sized.settings.get(SettingDefinitions.VISITORS_MAX));
        assertEquals(256, sized.settings.get(SettingDefinitions.QUEUE_CAPACITY));
        assertEquals(3906, HeapSizedDefaults.apply(load(""), 2 * MIB).settings.get(SettingDefinitions.VISITORS_MAX));
    }

    @Test
    void whatTheOperatorSetIsKeptWhateverTheHeap() throws Exception {
        HeapSizedDefaults.Sized sized = HeapSizedDefaults.apply(load("visitors.max=2000000,queue.capacity=65536"),
                16 * MIB);

        assertEquals(2_000_000, sized.settings.get(SettingDefinitions.VISITORS_MAX));
        assertEquals(65536, sized.settings.get(SettingDefinitions.QUEUE_CAPACITY));
        assertNull(sized.line);
        HeapSizedDefaults.Sized onlyTheQueue = HeapSizedDefaults.apply(load("visitors.max=1000000"), 256 * MIB);
        assertEquals(1_000_000, onlyTheQueue.settings.get(SettingDefinitions.VISITORS_MAX));
        assertEquals(4096, onlyTheQueue.settings.get(SettingDefinitions.QUEUE_CAPACITY));
    }

    @Test
    void theUserAgentCacheTakesAtMostASixteenthOfTheHeap() {
        assertEquals(8192, RequestRecorder.userAgentCacheSize(256 * MIB));
        assertEquals(8192, RequestRecorder.userAgentCacheSize(Long.MAX_VALUE));
        assertEquals(4096, RequestRecorder.userAgentCacheSize(128 * MIB));
        assertEquals(512, RequestRecorder.userAgentCacheSize(16 * MIB));
        assertEquals(256, RequestRecorder.userAgentCacheSize(MIB));
    }
}
