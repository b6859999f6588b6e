package io.headcount.agent.visitors;

import io.headcount.agent.metrics.DayFigures;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The current visitor day's distinct visitors, by client kind and by (endpoint, client kind). Immutable. */
public final class TodayFigures implements DayFigures {
    public static final TodayFigures NONE = new TodayFigures(new TreeMap<>(), new TreeMap<>());

    private final Map<String, Long> visitors;
    private final Map<String, Map<String, Long>> endpointVisitors;

    /**
     * @param visitors distinct visitors by client kind
     * @param endpointVisitors distinct visitors by endpoint, then client kind
     */
    TodayFigures(Map<String, Long> visitors, Map<String, Map<String, Long>> endpointVisitors) {
        this.visitors = Collections.unmodifiableMap(visitors);
        this.endpointVisitors = Collections.unmodifiableMap(endpointVisitors);
    }

    @Override
    public Map<String, Long> visitors() {
        return visitors;
    }

    @Override
    public Map<String, Map<String, Long>> endpointVisitors() {
        return endpointVisitors;
    }
}
