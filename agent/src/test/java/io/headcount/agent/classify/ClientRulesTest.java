package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientRulesTest {
    private static String problem(String text) {
        return assertThrows(IllegalArgumentException.class, () -> ClientRules.parse(text)).getMessage();
    }

    private static String name(ClientRules rules, String userAgent) {
        ClientRules.Match match = rules.match(userAgent, rule -> { });
        return match == null ? null : match.rule.name() + " " + match.captured;
    }

    @Test
    void theContractsFormNamesTheClientAndCapturesItsVersion() {
        ClientRules rules = ClientRules.parse("kci-dev:^kci-dev/(\\d+\\.\\d+\\.\\d+)");
        assertEquals(1, rules.rules().size());
        ClientRule rule = rules.rules().get(0);
        assertEquals("kci-dev", rule.name());
        assertFalse(rule.automated());
        assertTrue(rule.capturesVersion());
        assertEquals("kci-dev 0.1.7", name(rules, "kci-dev/0.1.7 (Linux x86_64)"));
        assertNull(name(rules, "python-requests/2.31 kci-dev/0.1.7"), "anchored at the start");
        assertNull(name(rules, "kci-dev/latest"));
    }

    @Test
    void rulesAreTriedInOrderAndTheFirstMatchWins() {
        ClientRules rules = ClientRules.parse(" app-ios : ^MyApp/(\\S+) .*iPhone ; app:^MyApp/(\\S+) ;deploy+automated:deploy-bot ");
        assertEquals("app-ios:^MyApp/(\\S+) .*iPhone;app:^MyApp/(\\S+);deploy+automated:deploy-bot", rules.toString());
        assertEquals("app-ios 3.1.0", name(rules, "MyApp/3.1.0 (iPhone; iOS 17.2)"));
        assertEquals("app 3.1.0", name(rules, "MyApp/3.1.0 (Pixel 8; Android 14)"));
        assertEquals("deploy ", name(rules, "ci deploy-bot/7"));
        assertTrue(rules.rules().get(2).automated());
        assertFalse(rules.rules().get(2).capturesVersion(), "a rule without a group counts the client, no version");
        assertNull(name(rules, null));
    }

    @Test
    void aGroupThatTookNoPartCapturesNothing() {
        ClientRules rules = ClientRules.parse("cli:^cli(?:/(\\d+\\.\\d+))?$");
        assertEquals("cli ", name(rules, "cli"));
        assertEquals("cli 1.2", name(rules, "cli/1.2"));
    }

    @Test
    void blankTextAndEmptyRulesAreNoRules() {
        assertTrue(ClientRules.parse(null).isEmpty());
        assertTrue(ClientRules.parse(" ").isEmpty());
        assertTrue(ClientRules.parse(" ; ;").isEmpty());
        assertEquals(1, ClientRules.parse("a:x;;").rules().size());
    }

    @Test
    void malformedRulesAreOneClearLineNamingTheRule() {
        assertEquals("rule 1 has no ':' between name and regex", problem("kci-dev"));
        assertEquals("rule 2: the name 'kci dev' is not 1 to 32 letters, digits, '.', '_' or '-' starting with a letter or digit",
                problem("a:x;kci dev:^kci"));
        assertEquals("rule 1: the name '' is not 1 to 32 letters, digits, '.', '_' or '-' starting with a letter or digit",
                problem(":^kci"));
        assertEquals("rule 1: the name '-kci' is not 1 to 32 letters, digits, '.', '_' or '-' starting with a letter or digit",
                problem("-kci:^kci"));
        assertEquals("rule 1: the name 'a23456789012345678901234567890123' is not 1 to 32 letters, digits, '.', '_' or '-'"
                        + " starting with a letter or digit",
                problem("a23456789012345678901234567890123:x"));
        assertEquals("rule 1: the name 'Bot' is reserved for a built-in client kind", problem("Bot:x"));
        for (String reserved : List.of("browser", "script", "bot", "unknown", "other")) {
            assertEquals("rule 1: the name '" + reserved + "' is reserved for a built-in client kind",
                    problem(reserved + ":x"));
        }
        assertEquals("rule 2: the name 'KCI' is given twice", problem("kci:^kci;KCI:^KCI"));
        assertEquals("rule 1 ('kci') has no regex", problem("kci: "));
        assertEquals("rule 1 ('kci') is not a valid regex: Unclosed group near index 9", problem("kci:^kci/(\\d+"));
        assertEquals("rule 1 ('kci') has 2 capturing groups; allowed: one, the version (use (?:...) for the others)",
                problem("kci:^(kci|KCI)/(\\d+)"));
        assertEquals("rule 1 ('kci') has a regex longer than 500 characters", problem("kci:" + "a".repeat(501)));
        assertEquals("rule 1 ('kci') has no regex", problem("kci+automated:"));
        assertEquals("rule 1: the name 'kci+bot' is not 1 to 32 letters, digits, '.', '_' or '-' starting with a letter or digit",
                problem("kci+bot:^kci"));
    }

    @Test
    void atMostTwentyRules() {
        List<String> rules = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            rules.add("c" + i + ":^c" + i + "/");
        }
        assertEquals(20, ClientRules.parse(String.join(";", rules)).rules().size());
        rules.add("c21:^c21/");
        assertEquals("more than 20 rules", problem(String.join(";", rules)));
    }

    @Test
    void aRuleThatBacktracksCatastrophicallyGivesUpWithinItsBudgetAndTheNextRuleIsTried() {
        ClientRules rules = ClientRules.parse("evil:^(?:a+)+$;fine:^a+(b)?");
        List<String> gaveUp = new ArrayList<>();
        // 1024 characters: without the budget this search would not end in our lifetime.
        String hostile = "a".repeat(1023) + "!";
        ClientRules.Match match = rules.match(hostile, gaveUp::add);
        assertEquals(List.of("evil"), gaveUp);
        assertEquals("fine", match.rule.name());
        assertEquals("", match.captured);
    }

    @Test
    void sensibleRulesFitTheBudgetOnTheLongestUserAgent() {
        ClientRules rules = ClientRules.parse("a:^kci-dev/(\\d+\\.\\d+);b:(?i)mywebapp/(\\d+\\.\\d+);c:\\bMyApp/([0-9.]+)");
        List<String> gaveUp = new ArrayList<>();
        String padding = "Mozilla/5.0 (X11; Linux x86_64) ".repeat(40);
        assertEquals("b 2.1", describe(rules.match((padding.substring(0, 1011) + " MYWEBAPP/2.1"), gaveUp::add)));
        assertEquals("c 3.0", describe(rules.match((padding.substring(0, 1014) + " MyApp/3.0"), gaveUp::add)));
        assertNull(rules.match(padding.substring(0, 1024), gaveUp::add));
        assertEquals(List.of(), gaveUp);
        // A leading .* is quadratic: on a long User-Agent it does not match it gives up, which is the same answer.
        ClientRules leadingAnything = ClientRules.parse("d:.*MyApp/([0-9.]+)");
        assertNull(leadingAnything.match(padding.substring(0, 1024), gaveUp::add));
        assertEquals(List.of("d"), gaveUp);
    }

    private static String describe(ClientRules.Match match) {
        return match.rule.name() + " " + match.captured;
    }

    @Test
    void theBudgetCountsEveryCharacterReadAndSubSequencesShareIt() {
        StepBudgetText text = new StepBudgetText("abcdef", 4);
        assertEquals('a', text.charAt(0));
        CharSequence tail = text.subSequence(2, 6);
        assertEquals(4, tail.length());
        assertEquals('c', tail.charAt(0));
        assertEquals('d', tail.charAt(1));
        assertEquals('b', text.charAt(1));
        assertEquals(4, text.steps());
        assertThrows(StepBudgetText.BudgetSpent.class, () -> tail.charAt(2));
        assertEquals("cdef", tail.toString());
    }
}
