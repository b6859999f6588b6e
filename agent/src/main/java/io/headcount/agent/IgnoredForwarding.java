package io.headcount.agent;

import io.headcount.agent.log.AgentLog;
import io.headcount.agent.net.IpAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Tells the operator that the forwarding header (setting {@code forwarded-header}) came from a peer
 * outside {@code trusted-proxies}:
 * counts such requests for {@code headcount_forwarded_ignored_total} and logs one line at most
 * once an hour. Behind an untrusted load balancer every visitor is counted by its address, and
 * without this nothing would say why the site seems to have three visitors a day.
 *
 * <p>The line names the peer's network only, never the peer itself or a forwarded address: the
 * peer may be a visitor (a client or its own proxy can send these headers too). An IPv4 peer is
 * shown as its /24; an IPv6 peer as its /48, since a /64 is usually one household (the very
 * prefix visitors are keyed by), while a /48 is a site, as a /24 is for IPv4.
 *
 * <p>{@link #record} is called by the worker thread only; {@link #count} from any thread.
 */
final class IgnoredForwarding {
    static final long LOG_INTERVAL_NANOS = TimeUnit.HOURS.toNanos(1);
    static final int IPV4_NETWORK_BITS = 24;
    static final int IPV6_NETWORK_BITS = 48;

    private final String header;
    private final LongSupplier nanoClock;
    private final Consumer<String> log;
    private volatile long count;
    private boolean loggedOnce;
    private long lastLoggedNanos;

    /** @param header the forwarding header the agent reads, as the log line names it */
    IgnoredForwarding(String header) {
        this(header, System::nanoTime, AgentLog::warn);
    }

    IgnoredForwarding(String header, LongSupplier nanoClock, Consumer<String> log) {
        this.header = header;
        this.nanoClock = nanoClock;
        this.log = log;
    }

    /** One request from {@code peer} (4 or 16 bytes) whose forwarding header was ignored. */
    void record(byte[] peer) {
        count++;
        long now = nanoClock.getAsLong();
        if (loggedOnce && now - lastLoggedNanos < LOG_INTERVAL_NANOS) {
            return;
        }
        loggedOnce = true;
        lastLoggedNanos = now;
        log.accept(message(header, peer));
    }

    /** Requests counted so far. */
    long count() {
        return count;
    }

    static String message(String header, byte[] peer) {
        String network = IpAddress.network(peer, peer.length == 4 ? IPV4_NETWORK_BITS : IPV6_NETWORK_BITS);
        return "ignored " + header + " headers from a peer in " + network
                + ", which is outside trusted-proxies: such requests' visitors are counted by the peer's address."
                + " If a proxy or load balancer there forwards requests to this app, add its addresses to the"
                + " setting trusted-proxies; headcount_forwarded_ignored_total counts these requests"
                + " (this line repeats at most once an hour)";
    }
}
