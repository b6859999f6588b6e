package io.headcount.agent.visitors;

import io.headcount.agent.log.AgentLog;
import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.net.IpAddress;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Counts unique visitors exactly across every instance that shares one Redis.
 *
 * <p>Per visitor day, Redis holds one salt (created by whichever instance needs it first, with
 * SET NX) and sets of visitor fingerprints ({@link DayKeys}); an instance counts a visitor only
 * when its SADD reports the fingerprint new, so the sum over instances is exact. A local seen-set
 * means a returning visitor costs this instance no round trip. Redis never sees a raw value.
 *
 * <p>Exact through start-up, outages and a Redis that lost its data: visits wait raw in a
 * {@link VisitHold} until the day's salt is known; once it is, first sightings that Redis cannot
 * take now wait as fingerprints in a {@link FingerprintBacklog}. A {@link DayAgreement} agrees the
 * {@link DaySalt} on every connection and looks for this instance's marker; a {@link DayMembership}
 * tells from it that Redis lost the day, and the instance then gives back the visitors it knows
 * without counting them again ({@link DayGiveBack}). Only past a bound is a visit counted by this instance alone, and every such visit is
 * counted in {@code headcount_visitors_inexact_total}.
 *
 * <p>Runs on the worker thread, which it never blocks: commands are sent asynchronously and their
 * replies read at the next {@link #poll()}.
 */
public final class RedisVisitorTracker implements VisitorTracker {
    /**
     * The heap this tracker's tables take on a day with {@code maxVisitorsPerDay} visitors (setting
     * {@code visitors.max}), the most they can hold: the day's sightings in total and per endpoint,
     * the visit counts with what is still unsent, and the tables of visits counted alone while
     * Redis is away. 122 MiB at the default 1,000,000.
     */
    public static long tableBytesAt(int maxVisitorsPerDay) {
        return 4 * FingerprintSet.bytesAt(maxVisitorsPerDay) + VisitCounts.bytesAt(maxVisitorsPerDay, true);
    }

    /** First sightings awaiting a reply; further ones wait in the backlog. */
    static final int MAX_IN_FLIGHT = 10_000;
    /**
     * After a loss, how long new sightings wait so that every instance has given its visitors back
     * first: each notices within a second (reconnection or marker check) and gives back at once.
     */
    static final long SETTLE_MILLIS = 5000;
    /** After a failed command, how long the backlog waits before it is sent again. */
    static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** How often the current day's request counts go to Redis: one HINCRBY per visitor active since. */
    static final long DEPTH_FLUSH_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Request-count increments awaiting a reply; more wait in their day's counts. */
    static final int MAX_INCREMENTS_IN_FLIGHT = 10_000;
    private static final byte[] MARKER_VALUE = "1".getBytes(StandardCharsets.UTF_8);

    private final HeadcountMetrics metrics;
    private final RedisConnector redis;
    private final VisitorDayClock clock;
    private final String keyPrefix;
    private final SecureRandom random;
    /** Counts the visits that cannot be counted exactly, with a salt of its own. */
    private final InMemoryVisitorTracker alone;
    private final SeenVisitors seen;
    private final VisitHold<Visit> hold;
    private final FingerprintBacklog backlog;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /** The marker check of the first sightings sent since the last one was sent; null when none were. */
    private BurstGuard openGuard;
    private final ArrayDeque<Increment> increments = new ArrayDeque<>();
    private final int maxVisitorsPerDay;
    private final RedisTodayReader todayReader;
    /** Names this instance's marker key; random, so it says nothing about the host. */
    private final String instanceId;

    /** The current day's state, made anew together when the day changes. */
    private DayKeys keys;
    private DaySalt salt;
    private DayMembership membership;
    private DayAgreement agreement;
    /** The current day's requests per visitor (null in approximate mode: it keeps nothing per visitor). */
    private VisitCounts depth;
    /** The day that ended, until all this instance counted of it is sent. */
    private DayKeys endedKeys;
    private VisitCounts endedDepth;
    /** The publication of the day before the current one. */
    private DepthPublication publication;
    private long depthSentNanos = System.nanoTime();
    private long depthFlushNanos = DEPTH_FLUSH_NANOS;
    private final ServerIdentity server = new ServerIdentity();
    /** The reply of {@code INFO server} sent with the current handshake, or null (cluster: not asked). */
    private RedisFuture<String> serverInfo;
    private final boolean askServer;
    private final boolean approximate;
    /** The connector's count of cluster failovers this instance has given its visitors back after. */
    private long primaryChangesSeen;
    private boolean unflushed;
    /** The last write of this instance's marker, whose reply tells whether Redis takes writes. */
    private RedisFuture<String> markerWrite;
    /** The connection {@link #markerWrite} went out on: another may reach another server. */
    private long markerConnection;
    /** Whether {@link #markerWrite} followed a give-back, which Redis then refused with it. */
    private boolean markerAfterGiveBack;
    /** A give-back Redis refused (a read-only replica, a server out of memory): sent again once it takes writes. */
    private boolean giveBackRefused;
    private long backlogPausedUntilNanos = System.nanoTime();
    /** After a failed sighting, one is sent at a time until Redis takes one again. */
    private boolean probing;
    private volatile long untracked;
    /** Visits held, backlogged or awaiting a reply, for other threads to read. */
    private volatile int pending;
    private volatile boolean settled = true;

    /**
     * @param holdMaxVisits visits held while the day's salt is on its way
     * @param holdMaxMillis how long they may be held
     * @param backlogMax first sightings kept while Redis cannot take them
     */
    public RedisVisitorTracker(HeadcountMetrics metrics, RedisConnector redis, VisitorDayClock clock, String keyPrefix,
                               int maxVisitorsPerDay, int holdMaxVisits, long holdMaxMillis, int backlogMax,
                               SecureRandom random) {
        this(metrics, redis, clock, keyPrefix, maxVisitorsPerDay, holdMaxVisits, holdMaxMillis, backlogMax, random, false);
    }

    /**
     * @param approximate visitors.mode=approximate: the day's figures are HyperLogLogs (PFADD, PFCOUNT);
     *     the counters count this instance's first sightings, since PFADD cannot say whether a visitor was new
     */
    public RedisVisitorTracker(HeadcountMetrics metrics, RedisConnector redis, VisitorDayClock clock, String keyPrefix,
                               int maxVisitorsPerDay, int holdMaxVisits, long holdMaxMillis, int backlogMax,
                               SecureRandom random, boolean approximate) {
        this.approximate = approximate;
        this.maxVisitorsPerDay = maxVisitorsPerDay;
        this.metrics = metrics;
        this.redis = redis;
        this.clock = clock;
        this.keyPrefix = keyPrefix;
        this.random = random;
        this.alone = new InMemoryVisitorTracker(metrics, clock, maxVisitorsPerDay, random, false);
        this.seen = new SeenVisitors(maxVisitorsPerDay, random);
        this.hold = new VisitHold<>(holdMaxVisits, holdMaxMillis);
        this.backlog = new FingerprintBacklog(backlogMax);
        this.todayReader = new RedisTodayReader(redis, clock, keyPrefix, approximate);
        this.instanceId = Long.toHexString(random.nextLong() | Long.MIN_VALUE);
        // In a cluster INFO reaches one node of many; its failovers are followed by topology instead.
        this.askServer = !redis.cluster();
    }

    @Override
    public void visit(byte[] clientAddress, String userAgent, long userAgentId, String endpoint, String client) {
        startDayIfNew();
        if (!salt.known()) {
            // Held as the visitor is keyed: an IPv6 client by its /64, not its whole address.
            Visit visit = new Visit(IpAddress.visitorBytes(clientAddress), userAgent, userAgentId, endpoint, client);
            if (hold.offer(visit, clock.millis())) {
                settled = false;
            } else {
                countAlone(clientAddress, userAgent, userAgentId, endpoint, client);
            }
            return;
        }
        countExactly(clientAddress, userAgent, userAgentId, endpoint, client);
    }

    /** Tests: how often the current day's request counts are sent (0: at every poll). */
    void depthFlushEvery(long nanos) {
        depthFlushNanos = nanos;
    }

    /** Reads the replies that have arrived, and sends what is due. Worker thread only. */
    @Override
    public void poll() {
        startDayIfNew();
        long now = System.nanoTime();
        boolean replied = readAgreement() | readCheck(now) | readReplies() | readIncrements();
        // Up again only when nothing is still overdue: a reply that arrives while older ones are late
        // would otherwise flip the state up and down at every poll, a log line each time.
        if (late(now)) {
            redis.replyOverdue();
        } else if (replied) {
            redis.replied();
        }
        RedisCommands commands = redis.commands();
        if (commands != null) {
            if (agreement.handshakeDue(redis.connections(), now)) {
                // Sent first, so that it has its reply when the handshake has.
                serverInfo = askServer ? commands.serverInfo() : null;
                // The first instance's proposal wins; everyone then reads the winner.
                commands.setIfAbsent(keys.salt, salt.proposal(random), keys.day.expiryEpochSecond());
                agreement.handshakeSent(commands.get(keys.salt), commands.exists(keys.marker(instanceId)),
                        redis.connections(), now);
                unflushed = true;
            } else if (agreement.checkDue(membership.joined(), now)) {
                agreement.checkSent(commands.exists(keys.marker(instanceId)), now);
                unflushed = true;
            }
            long primaryChanges = redis.primaryChanges();
            if (primaryChanges != primaryChangesSeen && agreement.agreedOn(redis.connections()) && membership.joined()) {
                primaryChangesSeen = primaryChanges;
                membership.serverChanged(clock.millis());
                giveBack(commands, "a replica took over from a primary of the Redis Cluster (it may lack the last"
                        + " visitors of " + keys.day + " the primary took)");
            }
            while (!backlog.isEmpty() && sendable(commands)) {
                send(commands, backlog.poll());
            }
            if (depth != null) {
                sendDepth(commands, now);
            }
            if (keys.announceAgain(commands, now)) {
                unflushed = true;
            }
        }
        if (hold.overdue(clock.millis())) {
            for (Visit visit = hold.poll(); visit != null; visit = hold.poll()) {
                countAlone(visit.address, visit.userAgent, visit.userAgentId, visit.endpoint, visit.client);
            }
        }
        closeGuard();
        flush();
        pending = inFlight.size() + hold.size() + backlog.size();
        settled = !redis.isUp() || (pending == 0 && !agreement.inFlight() && increments.isEmpty()
                && endedDepth == null && (publication == null || !publication.busy()));
    }

    /**
     * The ended day's counts at once, the current day's every {@link #DEPTH_FLUSH_NANOS}, then the
     * publication's next step; at most {@link #MAX_INCREMENTS_IN_FLIGHT} increments await replies.
     */
    private void sendDepth(RedisCommands commands, long now) {
        if (endedDepth != null) {
            sendIncrements(commands, endedKeys, endedDepth);
            if (!endedDepth.hasUnsent() && increments.isEmpty()) {
                endedDepth = null;
                endedKeys = null;
            }
        }
        if (now - depthSentNanos >= depthFlushNanos) {
            depthSentNanos = now;
            sendIncrements(commands, keys, depth);
        }
        if (publication.step(commands, clock.millis(), endedDepth == null, metrics)) {
            unflushed = true;
        }
    }

    private void sendIncrements(RedisCommands commands, DayKeys day, VisitCounts counts) {
        counts.drainUnsent(MAX_INCREMENTS_IN_FLIGHT - increments.size(), (fingerprint, client, part) -> {
            DepthHash hash = day.depth(client);
            increments.add(new Increment(commands.incrementField(hash.key, Sighting.member(fingerprint), part),
                    counts, fingerprint, part));
            hash.announce(commands);
            unflushed = true;
        });
    }

    /** A failed increment goes back into its day's counts, to be sent again. */
    private boolean readIncrements() {
        boolean replied = false;
        while (!increments.isEmpty() && increments.peek().reply.isDone()) {
            Increment sent = increments.poll();
            if (replyOf(sent.reply) == null) {
                sent.counts.unsend(sent.fingerprint, sent.part);
            } else {
                replied = true;
            }
        }
        return replied;
    }

    @Override
    public boolean settled() {
        return settled;
    }

    /** A connection made is a handshake due: the sleeping worker would otherwise wait its whole sleep for it. */
    @Override
    public void wakeWorkerWith(Runnable wake) {
        redis.onConnected(wake);
    }

    @Override
    public long untracked() {
        return untracked + alone.untracked();
    }

    @Override
    public long pending() {
        return pending;
    }

    /** The day's shared figures from Redis; never waits longer than {@code redis.timeout-ms}. */
    @Override
    public TodayFigures today() {
        return todayReader.read();
    }

    private void countExactly(byte[] address, String userAgent, long userAgentId, String endpoint, String client) {
        long fingerprint = salt.hasher().fingerprint(address, userAgent, userAgentId);
        FingerprintSet.Result total = seen.add(fingerprint, client);
        if (total == FingerprintSet.Result.FULL) {
            untracked++;
            return;
        }
        if (depth != null) {
            depth.count(fingerprint, client);
        }
        FingerprintSet.Result onEndpoint = seen.addOnEndpoint(fingerprint, endpoint, client);
        if (onEndpoint == FingerprintSet.Result.FULL) {
            untracked++;
        }
        boolean countedAlone = false;
        if (approximate) {
            if (total == FingerprintSet.Result.ADDED) {
                metrics.uniqueVisitor(client).inc();
            }
            if (onEndpoint == FingerprintSet.Result.ADDED) {
                metrics.uniqueVisitorOnEndpoint(endpoint, client).inc();
            }
        }
        if (total == FingerprintSet.Result.ADDED) {
            countedAlone = !submit(new Sighting(keys.visitors(client), fingerprint, fingerprint));
        }
        if (onEndpoint == FingerprintSet.Result.ADDED) {
            countedAlone |= !submit(new Sighting(keys.endpoint(endpoint, client), fingerprint,
                    seen.endpointKey(fingerprint, endpoint)));
        }
        if (countedAlone) {
            metrics.inexactVisit();
        }
    }

    /** Sends the sighting, or keeps it for later; @return false when it had to be counted alone */
    private boolean submit(Sighting sighting) {
        RedisCommands commands = redis.commands();
        if (commands != null && backlog.isEmpty() && sendable(commands)) {
            send(commands, sighting);
            return true;
        }
        if (backlog.add(sighting)) {
            settled = false;
            return true;
        }
        countOnReply(sighting.set);
        return false;
    }

    private boolean sendable(RedisCommands commands) {
        return commands != null && agreement.agreedOn(redis.connections())
                && inFlight.size() < MAX_IN_FLIGHT && !membership.settling(clock.millis())
                && System.nanoTime() - backlogPausedUntilNanos >= 0 && (!probing || inFlight.isEmpty());
    }

    private void send(RedisCommands commands, Sighting sighting) {
        if (openGuard != null && openGuard.day != sighting.set.day) {
            // Each day's sightings are checked against that day's marker: at midnight, the new
            // day's may not be written yet.
            closeGuard();
        }
        if (openGuard == null && !approximate) {
            openGuard = new BurstGuard(sighting.set.day);
        }
        inFlight.add(new InFlight(sighting.set.add(commands, sighting.member()), sighting, System.nanoTime(),
                openGuard));
        sighting.set.announce(commands);
        unflushed = true;
        settled = false;
    }

    /**
     * After the first sightings of a burst, on the same connection and so run after them: whether
     * this instance's marker is still there. A set that Redis emptied (restarted, flushed, evicted)
     * takes a visitor counted before as new, and the once-a-second check notices the loss only
     * later; a "new" reply counts only when the marker was there after it.
     */
    private void closeGuard() {
        if (openGuard == null) {
            return;
        }
        RedisCommands commands = redis.connectedCommands();
        if (commands != null) {
            openGuard.marker = commands.exists(openGuard.day.marker(instanceId));
            unflushed = true;
        }
        openGuard = null;
    }

    private boolean readReplies() {
        boolean replied = false;
        while (!inFlight.isEmpty() && inFlight.peek().reply.isDone()) {
            BurstGuard guard = inFlight.peek().guard;
            if (guard != null && (guard == openGuard || guard.marker != null && !guard.marker.isDone())) {
                // Its check is not sent yet, or not answered: it comes right after the burst's replies.
                break;
            }
            InFlight sent = inFlight.poll();
            Long added = replyOf(sent.reply);
            if (added == null) {
                // Refused by the server for good (a key of the wrong type, a script error): counted alone.
                if (refused(sent.reply) || !backlog.add(sent.sighting)) {
                    countOnReply(sent.sighting.set);
                    metrics.inexactVisit();
                }
                // Not connected (a cluster node is away) or a failover in progress: try again a little later,
                // one sighting at a time until one is taken, not the whole backlog in a loop.
                backlogPausedUntilNanos = System.nanoTime() + RETRY_PAUSE_NANOS;
                probing = true;
                continue;
            }
            probing = false;
            replied = true;
            if (added == 1L) {
                if (guard == null || guard.markerFound(this)) {
                    countOnReply(sent.sighting.set);
                } else {
                    // Maybe a visitor counted before the loss: not counted now. Sent again once the
                    // instances have given the day back, it is new only if none of them knew it;
                    // a visitor new in this moment is then counted one fewer, never one more.
                    agreement.markerMissing();
                    if (!backlog.add(sent.sighting)) {
                        countOnReply(sent.sighting.set);
                        metrics.inexactVisit();
                    }
                }
            }
        }
        return replied;
    }

    /** Exact mode counts a visitor when Redis says it was new; approximate mode counted it at its first sighting. */
    private void countOnReply(DaySet set) {
        if (!approximate) {
            count(set);
        }
    }

    private void count(DaySet set) {
        if (set.endpoint == null) {
            metrics.uniqueVisitor(set.client).inc();
        } else {
            metrics.uniqueVisitorOnEndpoint(set.endpoint, set.client).inc();
        }
    }

    private void countAlone(byte[] address, String userAgent, long userAgentId, String endpoint, String client) {
        alone.visit(address, userAgent, userAgentId, endpoint, client);
        metrics.inexactVisit();
    }

    /** A reply later than the timeout makes Redis down until replies come again. */
    private boolean late(long now) {
        long limit = TimeUnit.MILLISECONDS.toNanos(redis.timeoutMillis());
        return (!inFlight.isEmpty() && now - inFlight.peek().sentNanos > limit) || agreement.late(now, limit);
    }

    private boolean readAgreement() {
        if (!agreement.handshakeReplied()) {
            return false;
        }
        byte[] agreed = replyOf(agreement.saltReply());
        Long marker = replyOf(agreement.markerReply());
        DaySalt.Agreement result = salt.agreed(agreed);
        if (result == DaySalt.Agreement.FAILED && agreed != null) {
            redis.unusableSalt(new String(keys.salt, StandardCharsets.UTF_8), agreed.length);
        }
        boolean usable = result != DaySalt.Agreement.FAILED && marker != null;
        agreement.handshakeRead(usable, System.nanoTime());
        if (!usable) {
            return false;
        }
        // Up before the held visits go out: a handshake reply later than the timeout left Redis down,
        // and they would have gone to the backlog and, past its bound, been counted alone.
        redis.replied();
        RedisCommands commands = redis.connectedCommands();
        if (result == DaySalt.Agreement.CHANGED) {
            saltChanged();
        }
        DayMembership.Finding finding = membership.markerFound(marker == 1L, clock.millis());
        boolean otherServer = server.changedTo(ServerIdentity.runIdOf(serverInfo == null ? null : replyOf(serverInfo)));
        serverInfo = null;
        if (finding == DayMembership.Finding.LOST) {
            giveBack(commands, "Redis lost the visitors of " + keys.day);
            if (depth != null) {
                // Each instance sends its whole share again, so the sums are whole again.
                depth.unsendAll();
            }
        } else if (finding == DayMembership.Finding.PRESENT && otherServer) {
            membership.serverChanged(clock.millis());
            giveBack(commands, "another Redis server process answers (failover or restart; it may lack the last"
                    + " visitors of " + keys.day + " the previous one took)");
        }
        if (finding != DayMembership.Finding.PRESENT) {
            writeMarker(commands, finding == DayMembership.Finding.LOST);
        }
        hold.reset();
        for (Visit visit = hold.poll(); visit != null; visit = hold.poll()) {
            countExactly(visit.address, visit.userAgent, visit.userAgentId, visit.endpoint, visit.client);
        }
        return true;
    }

    private boolean readCheck(long now) {
        RedisFuture<Long> check = agreement.checkReplied();
        if (check == null) {
            return false;
        }
        Long present = replyOf(check);
        boolean gone = present != null && present == 0L;
        RedisCommands commands = redis.connectedCommands();
        if (gone && markerRefused()) {
            // Redis refused the marker (a read-only replica, a server out of memory or short of
            // replicas) and lost nothing since: the day is not given back again every second, which
            // would only be refused too. The marker is written until Redis takes it, and new
            // sightings keep waiting as after a loss, so that none is counted before the give-back
            // Redis refused has been sent again.
            giveBackRefused |= markerAfterGiveBack;
            membership.serverChanged(clock.millis());
            gone = false;
            if (commands != null) {
                writeMarker(commands, markerAfterGiveBack);
            }
        } else if (present != null && present == 1L && giveBackRefused && commands != null) {
            // Redis takes writes again: the give-back it refused is sent now, and new visitors wait as after a loss.
            giveBackRefused = false;
            membership.serverChanged(clock.millis());
            giveBack(commands, "Redis takes writes again after refusing the visitors of " + keys.day
                    + " this instance gave back");
        }
        agreement.checkRead(gone, now);
        return present != null;
    }

    private void writeMarker(RedisCommands commands, boolean afterGiveBack) {
        markerWrite = commands.set(keys.marker(instanceId), MARKER_VALUE, keys.day.expiryEpochSecond());
        markerConnection = redis.connections();
        markerAfterGiveBack = afterGiveBack;
        unflushed = true;
    }

    /**
     * Whether the server of this connection refused the last marker write with an error that passes
     * by itself (it takes no writes for now). On another connection, which may reach another server,
     * a missing marker is a loss again; so is one refused for good (an ACL), which no wait mends.
     */
    private boolean markerRefused() {
        if (markerWrite == null || !markerWrite.isDone() || markerConnection != redis.connections()) {
            return false;
        }
        try {
            markerWrite.toCompletableFuture().getNow(null);
            return false;
        } catch (RuntimeException failed) {
            return failed.getCause() instanceof RedisCommandExecutionException
                    && passing(failed.getCause().getMessage());
        }
    }

    /**
     * Redis lost the day: give back every visitor this instance knows of it, without counting
     * them, except those still waiting to be sent or answered (they are counted by their own SADD).
     */
    private void giveBack(RedisCommands commands, String why) {
        Set<Long> waiting = new HashSet<>();
        for (Iterator<Sighting> it = backlog.iterator(); it.hasNext(); ) {
            Sighting sighting = it.next();
            if (sighting.set.day == keys) {
                waiting.add(sighting.seenKey);
            }
        }
        for (InFlight sent : inFlight) {
            if (sent.sighting.set.day == keys) {
                waiting.add(sent.sighting.seenKey);
            }
        }
        long given = DayGiveBack.send(commands, seen, keys, waiting);
        unflushed = true;
        AgentLog.warn(why + ": this instance gave back the " + given
                + " it knows, without counting them again; new visitors wait " + SETTLE_MILLIS / 1000
                + " s for the other instances to do the same");
    }

    /**
     * Another salt won after Redis lost the day: this instance's fingerprints of the day cannot be
     * matched any more. It starts the day's memory afresh; its unsent sightings are counted alone.
     */
    private void saltChanged() {
        seen.clear();
        if (depth != null) {
            // Its counts are under fingerprints of the salt Redis lost: they would be other visitors now.
            depth.clear();
        }
        for (Sighting sighting : backlog.removeDay(keys)) {
            countOnReply(sighting.set);
            metrics.inexactVisit();
        }
        AgentLog.warn("Redis holds another salt for " + keys.day + " than this instance knew (it lost the day and"
                + " another instance put its own first): visitors this instance saw before may be counted again");
    }

    private void startDayIfNew() {
        VisitorDay today = clock.day();
        if (keys != null && today == keys.day) {
            return;
        }
        for (Visit visit = hold.poll(); visit != null; visit = hold.poll()) {
            countAlone(visit.address, visit.userAgent, visit.userAgentId, visit.endpoint, visit.client);
        }
        hold.reset();
        if (!approximate) {
            if (depth != null) {
                endedKeys = keys;
                endedDepth = depth;
            }
            depth = new VisitCounts(maxVisitorsPerDay, true);
            publication = new DepthPublication(keyPrefix, clock.dayOf(today.date().minusDays(1)), instanceId);
        }
        keys = new DayKeys(keyPrefix, today, approximate);
        markerWrite = null;
        markerAfterGiveBack = false;
        giveBackRefused = false;
        salt = new DaySalt();
        membership = new DayMembership(SETTLE_MILLIS);
        agreement = new DayAgreement();
        seen.clear();
    }

    private void flush() {
        if (!unflushed) {
            return;
        }
        RedisCommands commands = redis.connectedCommands();
        if (commands != null) {
            commands.flush();
        }
        unflushed = false;
    }

    private <T> T replyOf(RedisFuture<T> reply) {
        try {
            return reply.toCompletableFuture().getNow(null);
        } catch (RuntimeException failed) {
            redis.commandFailed(failed);
            return null;
        }
    }

    private static boolean refused(RedisFuture<?> reply) {
        try {
            reply.toCompletableFuture().getNow(null);
            return false;
        } catch (RuntimeException failed) {
            return failed.getCause() instanceof RedisCommandExecutionException
                    && !passing(failed.getCause().getMessage());
        }
    }

    /**
     * Errors that pass by themselves: those of a failover in progress (a cluster without a primary
     * for some slots, a primary turned replica, a server loading its data), and a server that takes
     * no writes for a while: out of memory until keys expire or are evicted or its limit is raised,
     * unable to save its snapshot, or short of the replicas it must write to. A sighting refused so
     * waits in the backlog; counted alone, it would never reach Redis, and another instance would
     * count the same visitor again.
     */
    static boolean passing(String error) {
        return error != null && (error.startsWith("CLUSTERDOWN") || error.startsWith("TRYAGAIN")
                || error.startsWith("READONLY") || error.startsWith("LOADING") || error.startsWith("MASTERDOWN")
                || error.startsWith("OOM") || error.startsWith("MISCONF") || error.startsWith("NOREPLICAS"));
    }

    @Override
    public void close() {
        redis.close();
    }

    /**
     * Called once as the JVM shuts down, on its own thread: with Redis away, what waits for it (held
     * visits, first sightings) lives only in this process and ends with it, and the operator hears
     * of it in one line. Nothing is sent: the app's stop does not wait on Redis.
     */
    public void stopping() {
        int waiting = pending;
        if (waiting > 0 && !redis.isUp()) {
            AgentLog.warn("the app is stopping while Redis at " + redis.where() + " is away: " + waiting
                    + " held visits or first sightings waiting for it end uncounted with this process; their"
                    + " visitors are counted if they come back today, on any instance");
        }
    }

    /** A visit kept raw only while the day's salt is on its way (at most {@code redis.hold.max-ms}). */
    private static final class Visit {
        final byte[] address;
        final String userAgent;
        final long userAgentId;
        final String endpoint;
        final String client;

        Visit(byte[] address, String userAgent, long userAgentId, String endpoint, String client) {
            this.address = address;
            this.userAgent = userAgent;
            this.userAgentId = userAgentId;
            this.endpoint = endpoint;
            this.client = client;
        }
    }

    /** One visitor's requests sent with {@code HINCRBY}, kept until Redis replies. */
    private static final class Increment {
        final RedisFuture<Long> reply;
        final VisitCounts counts;
        final long fingerprint;
        final int part;

        Increment(RedisFuture<Long> reply, VisitCounts counts, long fingerprint, int part) {
            this.reply = reply;
            this.counts = counts;
            this.fingerprint = fingerprint;
            this.part = part;
        }
    }

    private static final class InFlight {
        final RedisFuture<Long> reply;
        final Sighting sighting;
        final long sentNanos;
        /** The check sent after this sighting's burst; null in approximate mode. */
        final BurstGuard guard;

        InFlight(RedisFuture<Long> reply, Sighting sighting, long sentNanos, BurstGuard guard) {
            this.reply = reply;
            this.sighting = sighting;
            this.sentNanos = sentNanos;
            this.guard = guard;
        }
    }

    /** The marker check after one burst of first sightings of one day ({@link #closeGuard}). */
    private static final class BurstGuard {
        final DayKeys day;
        /** Null until sent, and when there was no connection to send it on. */
        RedisFuture<Long> marker;
        /** The answer, once read: read once for all the burst's sightings. */
        private Boolean found;

        BurstGuard(DayKeys day) {
            this.day = day;
        }

        /**
         * False only when Redis answered that the marker is gone. A check that failed or could not
         * be sent says nothing, and the replies count as they did before there were checks.
         */
        boolean markerFound(RedisVisitorTracker tracker) {
            if (found == null) {
                Long present = marker == null ? null : tracker.replyOf(marker);
                found = present == null || present != 0L;
            }
            return found;
        }
    }
}
