package io.headcount.agent.metrics;

import java.util.Map;

/** The distinct visitors of the current visitor day, as the {@code _today} gauges show them. */
public interface DayFigures {
    /** By client kind. */
    Map<String, Long> visitors();

    /** By endpoint, then client kind. */
    Map<String, Map<String, Long>> endpointVisitors();
}
