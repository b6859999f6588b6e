package io.headcount.agent.classify;

import io.headcount.agent.net.Cidr;
import java.util.List;

/**
 * What makes a request not counted at all, apart from its User-Agent ({@link UserAgentExclusions},
 * decided once per distinct User-Agent): its path ({@code exclude.paths}) and its client address
 * as resolved through {@code trusted-proxies} ({@code exclude.ips}). Thread-safe.
 */
public final class RequestExclusions {
    private final PathExclusions paths;
    private final Cidr[] addresses;

    /** @param addresses the blocks of {@code exclude.ips} as the settings parsed them; null for none */
    public RequestExclusions(PathExclusions paths, List<Cidr> addresses) {
        this.paths = paths;
        this.addresses = addresses == null ? new Cidr[0] : addresses.toArray(new Cidr[0]);
    }

    /** Only paths: how the agent excluded before {@code exclude.ips}. */
    public static RequestExclusions paths(PathExclusions paths) {
        return new RequestExclusions(paths, null);
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
}
