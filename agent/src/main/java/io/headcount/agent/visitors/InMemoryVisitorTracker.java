package io.headcount.agent.visitors;

import io.headcount.agent.metrics.HeadcountMetrics;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts unique visitors within this JVM: a random salt per visitor day, held only here and
 * replaced when the day changes, and two bounded fingerprint sets (visitors, visitor-endpoint pairs).
 */
public final class InMemoryVisitorTracker implements VisitorTracker {
    static final int SALT_BYTES = 32;

    private final HeadcountMetrics metrics;
    private final VisitorDayClock clock;
    private final SecureRandom random;
    private final FingerprintSet visitors;
    private final FingerprintSet visitorEndpoints;
    /** A random 64-bit tag per endpoint label, so that a (visitor, endpoint) pair is one long. */
    private final Map<String, Long> endpointTags = new HashMap<>();
    private LocalDate day;
    private VisitorHasher hasher;
    /** Written by the worker, read by scrapes. */
    private volatile long untracked;

    public InMemoryVisitorTracker(HeadcountMetrics metrics, VisitorDayClock clock, int maxVisitorsPerDay,
                                  SecureRandom random) {
        this.metrics = metrics;
        this.clock = clock;
        this.random = random;
        this.visitors = new FingerprintSet(maxVisitorsPerDay);
        this.visitorEndpoints = new FingerprintSet(maxVisitorsPerDay);
    }

    @Override
    public void visit(String visitorAddress, String userAgent, String endpoint, String client) {
        startDayIfNew();
        long visitor = VisitorHasher.fingerprint(hasher.hash(visitorAddress, userAgent));
        FingerprintSet.Result first = visitors.add(visitor);
        if (first == FingerprintSet.Result.ADDED) {
            metrics.uniqueVisitor(client).inc();
        } else if (first == FingerprintSet.Result.FULL) {
            untracked++;
            return;
        }
        FingerprintSet.Result onEndpoint = visitorEndpoints.add(visitor ^ endpointTag(endpoint));
        if (onEndpoint == FingerprintSet.Result.ADDED) {
            metrics.uniqueVisitorOnEndpoint(endpoint, client).inc();
        } else if (onEndpoint == FingerprintSet.Result.FULL) {
            untracked++;
        }
    }

    @Override
    public long untracked() {
        return untracked;
    }

    private void startDayIfNew() {
        LocalDate today = clock.today();
        if (today.equals(day)) {
            return;
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        hasher = new VisitorHasher(salt);
        visitors.clear();
        visitorEndpoints.clear();
        endpointTags.clear();
        day = today;
    }

    private long endpointTag(String endpoint) {
        Long tag = endpointTags.get(endpoint);
        if (tag == null) {
            tag = random.nextLong();
            endpointTags.put(endpoint, tag);
        }
        return tag;
    }
}
