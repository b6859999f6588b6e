package io.headcount.agent;

import java.lang.instrument.Instrumentation;

public final class Agent {
    public static void premain(String args, Instrumentation inst) {
    }
}
