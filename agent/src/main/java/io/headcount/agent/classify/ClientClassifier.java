package io.headcount.agent.classify;

import java.util.function.Consumer;

/**
 * Classifies a User-Agent in the order the operator's settings ask for: {@code exclude.user-agents}
 * first (an excluded request is not counted, whatever else it is), then the {@code clients} rules
 * (the first that matches names the client, before the built-in kinds), then the built-in
 * {@link UserAgentClassifier}. A named client keeps the built-in browser, OS and device labels.
 * A function of its input (the rules are fixed at start-up); meant to run once per distinct
 * User-Agent on the worker, whose cache keeps the answer.
 */
public final class ClientClassifier {
    private static final ClassifiedUserAgent EXCLUDED = new ClassifiedUserAgent(new UserAgentInfo(
            UserAgentInfo.UNKNOWN, UserAgentInfo.UNKNOWN, UserAgentInfo.UNKNOWN, UserAgentInfo.UNKNOWN), false, null, true);

    private final UserAgentClassifier builtIn;
    private final ClientRules rules;
    private final UserAgentExclusions exclusions;
    private final Consumer<String> ruleGaveUp;

    /**
     * @param ruleGaveUp told the name of a rule that spent its step budget on a User-Agent (which
     *     then falls to the next rule); for a log line, never given the User-Agent itself
     */
    public ClientClassifier(UserAgentClassifier builtIn, ClientRules rules, UserAgentExclusions exclusions,
                            Consumer<String> ruleGaveUp) {
        this.builtIn = builtIn;
        this.rules = rules == null ? ClientRules.none() : rules;
        this.exclusions = exclusions;
        this.ruleGaveUp = ruleGaveUp;
    }

    /** No rules, no exclusions: the built-in classification alone. */
    public static ClientClassifier builtIn(UserAgentClassifier userAgents) {
        return new ClientClassifier(userAgents, ClientRules.none(), new UserAgentExclusions(null), name -> { });
    }

    public ClassifiedUserAgent classify(String userAgent) {
        String ua = userAgent == null ? ""
                : userAgent.length() > UserAgentClassifier.MAX_LENGTH
                ? userAgent.substring(0, UserAgentClassifier.MAX_LENGTH) : userAgent;
        if (exclusions.excludes(ua)) {
            return EXCLUDED;
        }
        UserAgentInfo info = builtIn.classify(ua);
        ClientRules.Match named = rules.isEmpty() ? null : rules.match(ua, ruleGaveUp);
        if (named == null) {
            return new ClassifiedUserAgent(info, !info.isBot(), null, false);
        }
        String version = null;
        if (named.rule.capturesVersion()) {
            version = ClientVersion.wellFormed(named.captured) ? named.captured : LabelCap.OTHER;
        }
        return new ClassifiedUserAgent(new UserAgentInfo(named.rule.name(), info.browser, info.os, info.device),
                !named.rule.automated(), version, false);
    }
}
