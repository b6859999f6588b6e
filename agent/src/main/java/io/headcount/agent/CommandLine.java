package io.headcount.agent;

import io.headcount.agent.config.SettingDefinitions;
import java.io.PrintStream;

/**
 * {@code java -jar headcount-agent.jar ...}: usage, the settings table, the version, and attaching
 * the agent to a JVM that is already running.
 */
final class CommandLine {
    private CommandLine() {
    }

    /** @return the process exit status */
    static int run(String[] arguments, PrintStream out, PrintStream err) {
        if (arguments.length == 0 || "--help".equals(arguments[0]) || "-h".equals(arguments[0])
                || "help".equals(arguments[0])) {
            out.print(usage());
            return arguments.length == 0 ? 2 : 0;
        }
        if (arguments.length == 1 && ("--version".equals(arguments[0]) || "version".equals(arguments[0]))) {
            out.println("headcount-agent " + BuildInfo.current());
            return 0;
        }
        if ("attach".equals(arguments[0]) && (arguments.length == 2 || arguments.length == 3)) {
            if (!ModuleLayer.boot().findModule("jdk.attach").isPresent()) {
                // Touching the attach API here would be a NoClassDefFoundError.
                err.println("headcount: this Java runtime has no jdk.attach module, which attach needs;"
                        + " run the command with a full JDK's java");
                return 2;
            }
            if ("--list".equals(arguments[1]) && arguments.length == 2) {
                return Attacher.list(out);
            }
            return Attacher.attach(arguments[1], arguments.length == 3 ? arguments[2] : "", out, err);
        }
        err.println("headcount: unknown command '" + String.join(" ", arguments) + "'");
        err.print(usage());
        return 2;
    }

    static String usage() {
        return "Headcount: privacy-preserving visitor analytics for any JVM web app.\n"
                + "\n"
                + "Usage:\n"
                + "  java -javaagent:headcount-agent.jar[=key=value,key=value...] -jar app.jar\n"
                + "      start the app with the agent; metrics at http://<host>:<port>/metrics\n"
                + "  java -jar headcount-agent.jar attach <pid> [key=value,key=value...]\n"
                + "      load the agent into a running JVM (same user, same machine); exits 0 only\n"
                + "      when the agent started there, 1 when it did not (the reason is printed)\n"
                + "  java -jar headcount-agent.jar attach --list\n"
                + "      the JVMs it can attach to: process id and main class\n"
                + "  java -jar headcount-agent.jar --version\n"
                + "      the agent's version and the git revision it was built from\n"
                + "  java -jar headcount-agent.jar --help\n"
                + "      this text\n"
                + "\n"
                + "Settings (agent argument key=value, or -Dheadcount.<key>, or HEADCOUNT_<KEY>, or a\n"
                + "properties file named by config / -Dheadcount.config):\n"
                + "\n"
                + SettingDefinitions.helpTable();
    }
}
