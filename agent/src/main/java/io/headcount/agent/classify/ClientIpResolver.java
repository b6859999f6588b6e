package io.headcount.agent.classify;

import java.util.List;

/** Finds the client's address, believing proxy headers only from trusted peers. Thread-safe. */
public final class ClientIpResolver {
    public ClientIpResolver(List<Cidr> trustedProxies) {
        throw new UnsupportedOperationException("TODO");
    }

    /** @return the client's canonical IP text, or null when none can be told */
    public String resolve(String remoteAddr, String forwarded, String xForwardedFor) {
        throw new UnsupportedOperationException("TODO");
    }
}
