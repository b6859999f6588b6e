package io.headcount.agent.classify;

/**
 * Everything the worker keeps of one distinct User-Agent: its labels, whether it is a visitor,
 * the version label of a named client, and whether it is excluded from counting. Immutable.
 */
public final class ClassifiedUserAgent {
    /** The labels; {@code client} is a rule's name for a named client. */
    public final UserAgentInfo info;
    /** False for bots and automated named clients: their requests count, they are never visitors. */
    public final boolean visitor;
    /**
     * The {@code version} label of a named client whose rule captures one: the version when
     * {@link ClientVersion#wellFormed well formed}, else {@code other}; null otherwise.
     */
    public final String version;
    /** Matched by {@code exclude.user-agents}: not counted at all. */
    public final boolean excluded;

    ClassifiedUserAgent(UserAgentInfo info, boolean visitor, String version, boolean excluded) {
        this.info = info;
        this.visitor = visitor;
        this.version = version;
        this.excluded = excluded;
    }

    @Override
    public String toString() {
        return info + (visitor ? " visitor" : " not-visitor") + (version == null ? "" : " version=" + version)
                + (excluded ? " excluded" : "");
    }
}
