package io.headcount.agent.visitors;

import io.headcount.agent.metrics.HeadcountMetrics;
import java.security.SecureRandom;
import java.time.LocalDate;

/**
 * Counts unique visitors within this JVM: a random salt per visitor day, held only here and
 * replaced when the day changes; each visitor's requests of the day ({@link VisitCounts}), which
 * are also the day's set of visitors, and a bounded set of visitor-endpoint pairs. The requests are
 * published by request-count band once the day has ended, when the worker first notices (its next
 * visit or idle poll).
 */
public final class InMemoryVisitorTracker implements VisitorTracker {
    static final int SALT_BYTES = 32;

    private final HeadcountMetrics metrics;
    private final VisitorDayClock clock;
    private final SecureRandom random;
    private final SeenVisitors seen;
    private final TodayCounts todayCounts = new TodayCounts();
    /** null when another tracker publishes the day's depth (Redis mode's visits counted alone: they are inexact). */
    private final VisitCounts depth;
    private LocalDate day;
    private VisitorHasher hasher;
    /** Written by the worker, read by scrapes. */
    private volatile long untracked;

    public InMemoryVisitorTracker(HeadcountMetrics metrics, VisitorDayClock clock, int maxVisitorsPerDay,
                                  SecureRandom random) {
        this(metrics, clock, maxVisitorsPerDay, random, true);
    }

    InMemoryVisitorTracker(HeadcountMetrics metrics, VisitorDayClock clock, int maxVisitorsPerDay,
                           SecureRandom random, boolean publishesDepth) {
        this.depth = publishesDepth ? new VisitCounts(maxVisitorsPerDay, false) : null;
        this.metrics = metrics;
        this.clock = clock;
        this.random = random;
        this.seen = new SeenVisitors(maxVisitorsPerDay, random);
    }

    /**
     * The heap this tracker's tables take on a day with {@code maxVisitorsPerDay} visitors (setting
     * {@code visitors.max}), the most they can hold: the visit counts, which are the day's visitor
     * set too, and the visitor-endpoint set. 46 MiB at the default 1,000,000.
     */
    public static long tableBytesAt(int maxVisitorsPerDay) {
        return FingerprintSet.bytesAt(maxVisitorsPerDay) + VisitCounts.bytesAt(maxVisitorsPerDay, false);
    }

    @Override
    public void visit(byte[] clientAddress, String userAgent, long userAgentId, String endpoint, String client) {
        startDayIfNew();
        long visitor = hasher.fingerprint(clientAddress, userAgent, userAgentId);
        // The visit counts hold every visitor of the day: they are its visitor set too, one table
        // instead of two. Without them (Redis mode's visits counted alone) the set is kept alone.
        FingerprintSet.Result first = depth != null ? depth.count(visitor, client) : seen.add(visitor, client);
        if (first == FingerprintSet.Result.ADDED) {
            metrics.uniqueVisitor(client).inc();
            todayCounts.visitor(client);
        } else if (first == FingerprintSet.Result.FULL) {
            untracked++;
            return;
        }
        FingerprintSet.Result onEndpoint = seen.addOnEndpoint(visitor, endpoint, client);
        if (onEndpoint == FingerprintSet.Result.ADDED) {
            metrics.uniqueVisitorOnEndpoint(endpoint, client).inc();
            todayCounts.endpointVisitor(endpoint, client);
        } else if (onEndpoint == FingerprintSet.Result.FULL) {
            untracked++;
        }
    }

    /** Publishes the day that ended even when no visit comes after it. */
    @Override
    public void poll() {
        if (day != null) {
            startDayIfNew();
        }
    }

    @Override
    public long untracked() {
        return untracked;
    }

    /** This instance's own figures: without Redis nobody else's are known. */
    @Override
    public TodayFigures today() {
        return todayCounts.figures(clock.today());
    }

    private void startDayIfNew() {
        LocalDate today = clock.today();
        if (today.equals(day)) {
            return;
        }
        if (day != null && depth != null) {
            publishDepth();
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        hasher = new VisitorHasher(salt);
        seen.clear();
        todayCounts.startDay(today);
        day = today;
    }

    /** The single instance knows its whole day: it adds it at once, by band. */
    private void publishDepth() {
        DepthTally tally = new DepthTally();
        depth.forEach((fingerprint, client, requests) -> tally.add(client, requests));
        tally.publishTo(metrics);
        depth.clear();
    }
}
