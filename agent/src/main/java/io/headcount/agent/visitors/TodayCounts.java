package io.headcount.agent.visitors;

import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This instance's distinct visitors of the current day, for the {@code _today} gauges in
 * in-memory mode: the worker adds, a scrape reads. A new day starts from nothing.
 */
final class TodayCounts {
    private volatile Day current = new Day(LocalDate.MIN);

    void startDay(LocalDate date) {
        current = new Day(date);
    }

    void visitor(String client) {
        current.visitors.computeIfAbsent(client, any -> new AtomicLong()).incrementAndGet();
    }

    void endpointVisitor(String endpoint, String client) {
        current.endpointVisitors.computeIfAbsent(endpoint, any -> new ConcurrentHashMap<>())
                .computeIfAbsent(client, any -> new AtomicLong()).incrementAndGet();
    }

    /** The figures of {@code today}: none when the worker has not counted anyone this day yet. Any thread. */
    TodayFigures figures(LocalDate today) {
        Day day = current;
        if (!day.date.equals(today)) {
            return TodayFigures.NONE;
        }
        Map<String, Long> visitors = new TreeMap<>();
        day.visitors.forEach((client, count) -> visitors.put(client, count.get()));
        Map<String, Map<String, Long>> endpoints = new TreeMap<>();
        day.endpointVisitors.forEach((endpoint, byClient) -> {
            Map<String, Long> counts = new TreeMap<>();
            byClient.forEach((client, count) -> counts.put(client, count.get()));
            endpoints.put(endpoint, counts);
        });
        return new TodayFigures(visitors, endpoints);
    }

    private static final class Day {
        final LocalDate date;
        final ConcurrentHashMap<String, AtomicLong> visitors = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, ConcurrentHashMap<String, AtomicLong>> endpointVisitors =
                new ConcurrentHashMap<>();

        Day(LocalDate date) {
            this.date = date;
        }
    }
}
