package io.headcount.agent;

import io.headcount.agent.log.AgentLog;

/**
 * Turns a {@link NoClassDefFoundError} for a JDK class into a line that names the module the
 * Java runtime lacks (a jlink image or a slim JRE), instead of a bare class name.
 */
final class MissingModule {
    /** Package prefixes of JDK classes the agent or its libraries may use, and their modules. */
    private static final String[][] MODULES = {
        {"com/sun/net/httpserver/", "jdk.httpserver"},
        {"com/sun/tools/attach/", "jdk.attach"},
        {"java/lang/management/", "java.management"},
        {"javax/management/", "java.management"},
        {"java/util/logging/", "java.logging"},
        {"javax/naming/", "java.naming"},
        {"java/sql/", "java.sql"},
        {"sun/misc/", "jdk.unsupported"},
    };

    private MissingModule() {
    }

    /**
     * The module a missing JDK class lives in, as a sentence, or the throwable's usual text when it
     * is not about a missing JDK class.
     */
    static String describe(Throwable failure) {
        String module = module(failure);
        if (module != null) {
            return "this Java runtime has no " + module + " module (" + className(failure)
                    + " is missing); use a full JDK or add the module: jlink --add-modules " + module;
        }
        return AgentLog.describe(failure);
    }

    /** The missing module, or null. */
    static String module(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoClassDefFoundError || cause instanceof ClassNotFoundException) {
                String name = String.valueOf(cause.getMessage()).replace('.', '/');
                for (String[] module : MODULES) {
                    if (name.startsWith(module[0])) {
                        return module[1];
                    }
                }
            }
        }
        return null;
    }

    private static String className(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoClassDefFoundError || cause instanceof ClassNotFoundException) {
                return String.valueOf(cause.getMessage()).replace('/', '.');
            }
        }
        return "a class";
    }
}
