package io.headcount.agent.classify;

/**
 * A User-Agent as the operator's client rules read it: a {@link CharSequence} that counts every
 * character the regular expression engine reads and gives up past a budget. {@code java.util.regex}
 * backtracks, and a rule such as {@code ^(a+)+$} takes exponential time on some inputs; the input
 * is at most {@value UserAgentClassifier#MAX_LENGTH} characters, but that bounds nothing for such a
 * rule. Every step of the engine reads a character, so counting reads bounds the work of one match
 * whatever the rule is. Not thread-safe; one instance per match.
 */
final class StepBudgetText implements CharSequence {
    /** Thrown out of the matcher when the budget is spent; carries no stack, it is expected. */
    static final class BudgetSpent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetSpent() {
            super("step budget spent", null, false, false);
        }
    }

    private final String text;
    private final int start;
    private final int end;
    private final long[] steps;
    private final long budget;

    StepBudgetText(String text, long budget) {
        this(text, 0, text.length(), new long[1], budget);
    }

    private StepBudgetText(String text, int start, int end, long[] steps, long budget) {
        this.text = text;
        this.start = start;
        this.end = end;
        this.steps = steps;
        this.budget = budget;
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public char charAt(int index) {
        if (++steps[0] > budget) {
            throw new BudgetSpent();
        }
        return text.charAt(start + index);
    }

    /** A sub-sequence shares the budget: the engine must not escape it by asking for one. */
    @Override
    public CharSequence subSequence(int from, int to) {
        if (from < 0 || to > length() || from > to) {
            throw new IndexOutOfBoundsException();
        }
        return new StepBudgetText(text, start + from, start + to, steps, budget);
    }

    /** Characters read so far. */
    long steps() {
        return steps[0];
    }

    @Override
    public String toString() {
        return text.substring(start, end);
    }
}
