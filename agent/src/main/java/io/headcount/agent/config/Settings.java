package io.headcount.agent.config;

import io.headcount.agent.classify.Cidr;
import java.time.ZoneId;
import java.util.List;

/** The agent's validated settings. Immutable. */
public final class Settings {
    public boolean enabled() { throw new UnsupportedOperationException("TODO"); }
    public String host() { throw new UnsupportedOperationException("TODO"); }
    public int port() { throw new UnsupportedOperationException("TODO"); }
    /** null means in-memory mode */
    public String redisUrl() { throw new UnsupportedOperationException("TODO"); }
    public List<Cidr> trustedProxies() { throw new UnsupportedOperationException("TODO"); }
    public int endpointMax() { throw new UnsupportedOperationException("TODO"); }
    public int referrerMax() { throw new UnsupportedOperationException("TODO"); }
    public List<String> excludePaths() { throw new UnsupportedOperationException("TODO"); }
    public ZoneId dayZone() { throw new UnsupportedOperationException("TODO"); }
    public int visitorsMax() { throw new UnsupportedOperationException("TODO"); }
    public int queueCapacity() { throw new UnsupportedOperationException("TODO"); }
}
