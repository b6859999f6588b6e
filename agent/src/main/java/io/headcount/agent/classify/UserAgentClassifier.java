package io.headcount.agent.classify;

/**
 * Turns a raw User-Agent header into {@link UserAgentInfo}. A pure function: the same input always
 * gives the same answer, no state is kept, any thread may call it. Null or blank gives unknown.
 */
public final class UserAgentClassifier {
    public UserAgentInfo classify(String userAgent) {
        throw new UnsupportedOperationException("TODO");
    }
}
