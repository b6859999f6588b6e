package io.headcount.agent.classify;

import io.headcount.agent.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * What makes a request not counted at all, apart from its User-Agent ({@link UserAgentExclusions},
 * decided once per distinct User-Agent): its path ({@code exclude.paths}), its client address as
 * resolved through {@code trusted-proxies} ({@code exclude.ips}), and a Host header that names the
 * agent's own metrics port ({@code exclude.metrics-port}). Thread-safe.
 *
 * <p>Why the Host header: the metrics server is the agent's own, no servlet, so its requests never
 * reach the counters. A request that reaches the app although its client addressed the metrics
 * port (a scraper or probe sent through a proxy or service that maps that port to the app) is
 * monitoring, not use. The Host header is already read for the referrer, so this costs the request
 * thread nothing.
 */
public final class RequestExclusions {
    private final PathExclusions paths;
    private final Cidr[] addresses;
    private final IntSupplier metricsPort;

    /**
     * @param metricsPort the port the metrics server listens on, 0 while unknown; null to count
     *     requests addressed to it
     */
    public RequestExclusions(PathExclusions paths, List<Cidr> addresses, IntSupplier metricsPort) {
        this.paths = paths;
        List<Cidr> kept = new ArrayList<>();
        if (addresses != null) {
            for (Cidr cidr : addresses) {
                if (cidr != null) {
                    kept.add(cidr);
                }
            }
        }
        this.addresses = kept.toArray(new Cidr[0]);
        this.metricsPort = metricsPort;
    }

    /** Only paths: how the agent excluded before {@code exclude.ips} and the metrics port. */
    public static RequestExclusions paths(PathExclusions paths) {
        return new RequestExclusions(paths, null, null);
    }

    /** @see PathExclusions#excludes */
    public boolean excludesPath(String context, String path) {
        return paths.excludes(context, path);
    }

    /** Whether any {@code exclude.ips} block is set, so that the client address is worth resolving. */
    public boolean hasAddresses() {
        return addresses.length > 0;
    }

    /** @param client the client address as {@link ClientIpResolver#resolveAddress} gives it; null is never excluded */
    public boolean excludesClient(byte[] client) {
        for (Cidr cidr : addresses) {
            if (cidr.contains(client)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the Host header ({@code name:port}, {@code [v6]:port}) names the metrics port. */
    public boolean excludesHost(String host) {
        if (metricsPort == null || host == null) {
            return false;
        }
        int port = metricsPort.getAsInt();
        return port > 0 && port(host.trim()) == port;
    }

    /** The explicit port of a Host header value, or -1 for none or a malformed one. */
    static int port(String host) {
        int colon = host.lastIndexOf(':');
        if (colon < 0 || host.indexOf(']', colon) >= 0 || colon == host.length() - 1) {
            return -1;
        }
        // An IPv6 literal without brackets (not a valid Host) has more colons and no port.
        if (host.charAt(0) != '[' && host.indexOf(':') != colon) {
            return -1;
        }
        int value = 0;
        int digits = host.length() - colon - 1;
        if (digits > 5) {
            return -1;
        }
        for (int i = colon + 1; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65535 ? value : -1;
    }
}
