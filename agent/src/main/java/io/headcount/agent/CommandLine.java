package io.headcount.agent;

import com.sun.tools.attach.VirtualMachine;
import io.headcount.agent.config.SettingDefinitions;
import java.io.File;
import java.io.PrintStream;

/**
 * {@code java -jar headcount-agent.jar ...}: usage, the settings table, and attaching the agent to
 * a JVM that is already running.
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
        if ("attach".equals(arguments[0]) && (arguments.length == 2 || arguments.length == 3)) {
            return attach(arguments[1], arguments.length == 3 ? arguments[2] : "", out, err);
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
                + "      load the agent into a running JVM (same user, same machine)\n"
                + "  java -jar headcount-agent.jar --help\n"
                + "      this text\n"
                + "\n"
                + "Settings (agent argument key=value, or -Dheadcount.<key>, or HEADCOUNT_<KEY>, or a\n"
                + "properties file named by config / -Dheadcount.config):\n"
                + "\n"
                + SettingDefinitions.helpTable();
    }

    private static int attach(String pid, String settings, PrintStream out, PrintStream err) {
        if (!pid.matches("[0-9]+")) {
            err.println("headcount: '" + pid + "' is not a process id");
            return 2;
        }
        try {
            File jar = new File(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(jar.getAbsolutePath(), settings);
            } finally {
                vm.detach();
            }
            out.println("headcount: agent loaded into process " + pid + "; its log says where the metrics are");
            return 0;
        } catch (Exception e) {
            err.println("headcount: could not attach to process " + pid + ": " + e);
            return 1;
        }
    }
}
