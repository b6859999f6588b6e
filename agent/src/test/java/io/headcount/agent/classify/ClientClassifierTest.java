package io.headcount.agent.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientClassifierTest {
    private static final String CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Safari/537.36";
    private final List<String> gaveUp = new ArrayList<>();
    private final ClientClassifier classifier = new ClientClassifier(new UserAgentClassifier(),
            ClientRules.parse("kci-dev:^kci-dev/([^ ]+);ci+automated:^ci-runner/(\\d+\\.\\d+);webapp:MyWebApp;"
                    + "crawler-friend:^Googlebot-Friend/(\\d+\\.\\d+)"),
            new UserAgentExclusions(List.of("kube-probe/", "ELB-HealthChecker/")), gaveUp::add);

    private String classify(String userAgent) {
        return classifier.classify(userAgent).toString();
    }

    @Test
    void aNamedClientIsItsRulesNameWithTheBuiltInPlatformAndAVisitor() {
        assertEquals("kci-dev/unknown/Linux/desktop visitor version=0.1.7", classify("kci-dev/0.1.7 (Linux x86_64)"));
        assertEquals("kci-dev/unknown/unknown/unknown visitor version=other", classify("kci-dev/0.1.7+dirty"));
        assertEquals("kci-dev/unknown/unknown/unknown visitor version=other", classify("kci-dev/latest"));
    }

    @Test
    void anAutomatedClientIsNeverAVisitor() {
        assertEquals("ci/unknown/unknown/unknown not-visitor version=4.2", classify("ci-runner/4.2"));
    }

    @Test
    void aRuleWithoutAGroupNamesTheClientWithoutAVersion() {
        assertEquals("webapp/Chrome/Linux/desktop visitor", classify(CHROME_LINUX + " MyWebApp/2"));
    }

    @Test
    void aNamedClientTheBuiltInListCallsABotIsAVisitorUnlessItsRuleSaysAutomated() {
        assertEquals("crawler-friend/bot/unknown/bot visitor version=2.1", classify("Googlebot-Friend/2.1 (+http://x)"));
    }

    @Test
    void theBuiltInClassificationStaysForEveryoneElse() {
        assertEquals("browser/Chrome/Linux/desktop visitor", classify(CHROME_LINUX));
        assertEquals("bot/bot/unknown/bot not-visitor", classify("Googlebot/2.1 (+http://www.google.com/bot.html)"));
        assertEquals("script/curl/unknown/script visitor", classify("curl/8.4.0"));
        assertEquals("unknown/unknown/unknown/unknown visitor", classify(null));
    }

    @Test
    void anExcludedHealthCheckerIsExcludedWhateverRuleWouldMatch() {
        assertEquals("unknown/unknown/unknown/unknown not-visitor excluded", classify("kube-probe/1.29"));
        assertEquals("unknown/unknown/unknown/unknown not-visitor excluded", classify("  elb-healthchecker/2.0"));
        // Named further on, it is not the health checker (the crawler list makes it a bot).
        assertEquals("bot/bot/unknown/bot not-visitor", classify(CHROME_LINUX + " kube-probe/1.29"));
        assertEquals(List.of(), gaveUp);
    }

    @Test
    void onlyTheFirst1024CharactersAreMatched() {
        String padded = "x".repeat(1024) + "MyWebApp";
        assertEquals("unknown/unknown/unknown/unknown visitor", classify(padded));
    }
}
