package io.headcount.agent.classify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operator rule of the {@code clients} setting: a User-Agent pattern, the client name that
 * becomes the {@code client} label value, whether the client is automated (counted as requests,
 * never as a visitor), and whether the pattern captures a version. Immutable.
 */
public final class ClientRule {
    private final String name;
    private final Pattern pattern;
    private final boolean automated;
    private final boolean capturesVersion;

    ClientRule(String name, Pattern pattern, boolean automated) {
        this.name = name;
        this.pattern = pattern;
        this.automated = automated;
        this.capturesVersion = pattern.matcher("").groupCount() == 1;
    }

    public String name() {
        return name;
    }

    public boolean automated() {
        return automated;
    }

    /** Whether the pattern has the one group that captures a version. */
    public boolean capturesVersion() {
        return capturesVersion;
    }

    /** The pattern as the operator wrote it. */
    public String regex() {
        return pattern.pattern();
    }

    /**
     * Searches the User-Agent ({@link Matcher#find}: anchor with {@code ^} to match from its start).
     *
     * @return null when the rule does not match; the captured text, or "" when the rule captures
     *     nothing or its group took no part, when it does
     * @throws StepBudgetText.BudgetSpent when the search read more characters than its budget
     */
    String match(StepBudgetText userAgent) {
        Matcher matcher = pattern.matcher(userAgent);
        if (!matcher.find()) {
            return null;
        }
        if (!capturesVersion) {
            return "";
        }
        String version = matcher.group(1);
        return version == null ? "" : version;
    }

    @Override
    public String toString() {
        return name + (automated ? ClientRules.AUTOMATED_MARK : "") + ":" + pattern.pattern();
    }
}
