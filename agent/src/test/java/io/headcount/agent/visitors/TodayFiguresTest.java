package io.headcount.agent.visitors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TodayFiguresTest {
    @Test
    void inMemoryCountsAreTheDaysAndStartAgainOnANewDay() {
        TodayCounts counts = new TodayCounts();
        LocalDate today = LocalDate.parse("2026-12-03");
        counts.startDay(today);
        counts.visitor("browser");
        counts.visitor("browser");
        counts.endpointVisitor("/a", "browser");
        assertEquals(Map.of("browser", 2L), counts.figures(today).visitors());
        assertEquals(Map.of("/a", Map.of("browser", 1L)), counts.figures(today).endpointVisitors());
        assertEquals(Map.of(), counts.figures(today.plusDays(1)).visitors(), "after midnight, before any visit");
        counts.startDay(today.plusDays(1));
        assertEquals(Map.of(), counts.figures(today.plusDays(1)).visitors());
    }

    @Test
    void redisSetNamesFileUnderTheirLabelsAndStrangeOnesAreIgnored() {
        Map<String, Long> visitors = new TreeMap<>();
        Map<String, Map<String, Long>> endpoints = new TreeMap<>();
        RedisTodayReader.add("visitors:browser", 5, visitors, endpoints);
        RedisTodayReader.add("endpoint:browser:/api/users/{id}", 3, visitors, endpoints);
        RedisTodayReader.add("endpoint:script:/a:b", 2, visitors, endpoints);
        RedisTodayReader.add("endpoint:nocolon", 9, visitors, endpoints);
        RedisTodayReader.add("something-else", 9, visitors, endpoints);
        assertEquals(Map.of("browser", 5L), visitors);
        assertEquals(Map.of("/api/users/{id}", Map.of("browser", 3L), "/a:b", Map.of("script", 2L)), endpoints);
    }

    @Test
    void aDaySetIsNamedByClientThenEndpoint() {
        DayKeys keys = new DayKeys("hc", new VisitorDay(LocalDate.parse("2026-12-03"), 0, 86_400_000));
        assertEquals("hc:2026-12-03:visitors:browser", new String(keys.visitors("browser").key));
        assertEquals("hc:2026-12-03:endpoint:script:/a", new String(keys.endpoint("/a", "script").key));
        assertEquals("endpoint:script:/a", new String(keys.endpoint("/a", "script").indexMember));
        assertEquals("hc:2026-12-03:sets", new String(keys.index));
        assertEquals("hc:2026-12-03:salt", new String(keys.salt));
        assertEquals(86_400L + VisitorDay.KEEP_AFTER_DAY_END_SECONDS, keys.day.expiryEpochSecond());
    }
}
