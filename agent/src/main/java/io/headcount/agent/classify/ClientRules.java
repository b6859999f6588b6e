package io.headcount.agent.classify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code clients} setting: named client rules, {@code name:regex} separated by {@code ;},
 * tried in the order written, first match wins. A name followed by {@value #AUTOMATED_MARK}
 * ({@code deploy-bot+automated:^deploy-bot/(\d+\.\d+)}) marks an automated client: its requests
 * are counted under its name but it is never a visitor.
 *
 * <p>Bounds, so that the names are safe label values (and parts of Redis key names, which are split
 * at {@code :}) and the rules cannot hold up the worker:
 * at most {@value #MAX_RULES} rules; a name of 1 to {@value #MAX_NAME_LENGTH} characters, a letter
 * or digit first and then letters, digits, {@code .}, {@code _} or {@code -}, not one of the
 * built-in kinds ({@code browser script bot unknown other}, any case) and not given twice (any
 * case); a regex of at most {@value #MAX_REGEX_LENGTH} characters with at most one capturing
 * group, the version. A search reads at most {@value #STEP_BUDGET} characters of the User-Agent
 * (backtracking included, see {@link StepBudgetText}); a rule that needs more does not match that
 * User-Agent, which then falls to the built-in classification.
 */
public final class ClientRules {
    public static final int MAX_RULES = 20;
    public static final int MAX_NAME_LENGTH = 32;
    public static final int MAX_REGEX_LENGTH = 500;
    /**
     * Characters one rule may read of one User-Agent: about 10 passes over the longest one. An
     * anchored rule reads a few, an unanchored literal about a tenth of the User-Agent, a
     * case-insensitive or word-bounded one one or two passes; a leading {@code .*} is quadratic
     * and gives up on long User-Agents it does not match (which is the answer it would have given).
     * With every rule at its bound, one distinct User-Agent costs 20 x 10,000 reads.
     */
    public static final long STEP_BUDGET = 10_000;
    public static final String AUTOMATED_MARK = "+automated";
    public static final String SEPARATOR = ";";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_NAME_LENGTH - 1) + "}");
    private static final Set<String> RESERVED = Collections.unmodifiableSet(new HashSet<>(List.of(
            UserAgentInfo.CLIENT_BROWSER, UserAgentInfo.CLIENT_SCRIPT, UserAgentInfo.CLIENT_BOT,
            UserAgentInfo.UNKNOWN, LabelCap.OTHER)));

    private static final ClientRules NONE = new ClientRules(Collections.<ClientRule>emptyList());

    private final List<ClientRule> rules;

    private ClientRules(List<ClientRule> rules) {
        this.rules = rules;
    }

    public static ClientRules none() {
        return NONE;
    }

    /**
     * @param text the setting's value; null or blank for no rules
     * @throws IllegalArgumentException with a message fit for a log line, naming the rule (never a
     *     User-Agent), when a rule is malformed or the rules break a bound
     */
    public static ClientRules parse(String text) {
        if (text == null || text.trim().isEmpty()) {
            return NONE;
        }
        List<ClientRule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String item : text.split(SEPARATOR, -1)) {
            String rule = item.trim();
            if (rule.isEmpty()) {
                continue;
            }
            if (rules.size() == MAX_RULES) {
                throw new IllegalArgumentException("more than " + MAX_RULES + " rules");
            }
            int colon = rule.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("rule " + (rules.size() + 1) + " has no ':' between name and regex");
            }
            String name = rule.substring(0, colon).trim();
            boolean automated = name.endsWith(AUTOMATED_MARK);
            if (automated) {
                name = name.substring(0, name.length() - AUTOMATED_MARK.length());
            }
            String regex = rule.substring(colon + 1).trim();
            rules.add(rule(rules.size() + 1, name, regex, automated, names));
        }
        return rules.isEmpty() ? NONE : new ClientRules(Collections.unmodifiableList(rules));
    }

    private static ClientRule rule(int number, String name, String regex, boolean automated, Set<String> names) {
        String which = "rule " + number;
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(which + ": the name '" + name + "' is not 1 to " + MAX_NAME_LENGTH
                    + " letters, digits, '.', '_' or '-' starting with a letter or digit");
        }
        String folded = name.toLowerCase(Locale.ROOT);
        if (RESERVED.contains(folded)) {
            throw new IllegalArgumentException(which + ": the name '" + name + "' is reserved for a built-in client kind");
        }
        if (!names.add(folded)) {
            throw new IllegalArgumentException(which + ": the name '" + name + "' is given twice");
        }
        if (regex.isEmpty()) {
            throw new IllegalArgumentException(which + " ('" + name + "') has no regex");
        }
        if (regex.length() > MAX_REGEX_LENGTH) {
            throw new IllegalArgumentException(which + " ('" + name + "') has a regex longer than "
                    + MAX_REGEX_LENGTH + " characters");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(which + " ('" + name + "') is not a valid regex: "
                    + e.getDescription() + " near index " + e.getIndex());
        }
        int groups = pattern.matcher("").groupCount();
        if (groups > 1) {
            throw new IllegalArgumentException(which + " ('" + name + "') has " + groups
                    + " capturing groups; allowed: one, the version (use (?:...) for the others)");
        }
        return new ClientRule(name, pattern, automated);
    }

    public List<ClientRule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * The first rule that matches the User-Agent, with the version it captured.
     *
     * @param userAgent already cut to {@link UserAgentClassifier#MAX_LENGTH}; null is ""
     * @param gaveUp told the name of each rule that spent its step budget on this User-Agent
     * @return null when no rule matches
     */
    public Match match(String userAgent, Consumer<String> gaveUp) {
        String text = userAgent == null ? "" : userAgent;
        for (ClientRule rule : rules) {
            String captured;
            try {
                captured = rule.match(new StepBudgetText(text, STEP_BUDGET));
            } catch (StepBudgetText.BudgetSpent e) {
                gaveUp.accept(rule.name());
                continue;
            }
            if (captured != null) {
                return new Match(rule, captured);
            }
        }
        return null;
    }

    /** The rules in setting syntax, as given (trimmed). */
    @Override
    public String toString() {
        List<String> texts = new ArrayList<>();
        for (ClientRule rule : rules) {
            texts.add(rule.toString());
        }
        return String.join(SEPARATOR, texts);
    }

    /** A rule that matched, and the text its version group captured ("" for none). */
    public static final class Match {
        public final ClientRule rule;
        public final String captured;

        Match(ClientRule rule, String captured) {
            this.rule = rule;
            this.captured = captured;
        }
    }
}
