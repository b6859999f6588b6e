package io.headcount.agent;

import io.headcount.agent.classify.ClientClassifier;
import io.headcount.agent.classify.ClientIpResolver;
import io.headcount.agent.classify.PathExclusions;
import io.headcount.agent.classify.RequestExclusions;
import io.headcount.agent.classify.UserAgentClassifier;
import io.headcount.agent.metrics.HeadcountMetrics;
import io.headcount.agent.net.Cidr;
import io.headcount.agent.visitors.VisitorTracker;
import java.util.List;

/** A recorder as the agent wires one, with only the path exclusions, the built-in client classes and no proxy. */
final class TestRecorders {
    private TestRecorders() {
    }

    static RequestRecorder recorder(HeadcountMetrics metrics, VisitorTracker visitors, List<String> excludedPaths,
                                    int endpointMax, int referrerMax) {
        return new RequestRecorder(metrics, visitors, RequestExclusions.paths(new PathExclusions(excludedPaths)),
                ClientClassifier.builtIn(new UserAgentClassifier()), new ClientIpResolver(List.<Cidr>of()),
                new IgnoredForwarding("X-Forwarded-For"), endpointMax, referrerMax);
    }
}
