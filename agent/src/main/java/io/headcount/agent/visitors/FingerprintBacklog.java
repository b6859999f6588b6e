package io.headcount.agent.visitors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * First sightings that Redis has not been told of yet because it is away, slow, or settling
 * after a loss: fingerprints already keyed with the day's shared salt, never a raw address or
 * User-Agent. Bounded: past {@code max} entries the caller counts the sighting alone. Sent,
 * oldest first, when Redis answers again. Not thread-safe: the worker owns it.
 */
final class FingerprintBacklog {
    private final int max;
    private final ArrayDeque<Sighting> sightings = new ArrayDeque<>();

    FingerprintBacklog(int max) {
        this.max = max;
    }

    /** @return false when the backlog is full */
    boolean add(Sighting sighting) {
        if (sightings.size() >= max) {
            return false;
        }
        sightings.add(sighting);
        return true;
    }

    /** The oldest sighting, or null. */
    Sighting poll() {
        return sightings.poll();
    }

    int size() {
        return sightings.size();
    }

    boolean isEmpty() {
        return sightings.isEmpty();
    }

    Iterator<Sighting> iterator() {
        return sightings.iterator();
    }

    /** Takes out the sightings of one day, oldest first. */
    List<Sighting> removeDay(DayKeys day) {
        List<Sighting> removed = new ArrayList<>();
        for (Iterator<Sighting> it = sightings.iterator(); it.hasNext(); ) {
            Sighting sighting = it.next();
            if (sighting.set.day == day) {
                removed.add(sighting);
                it.remove();
            }
        }
        return removed;
    }
}
