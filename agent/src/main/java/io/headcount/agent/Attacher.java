package io.headcount.agent;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.File;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code attach <pid>} and {@code attach --list}. Only a process that the attach API lists as a
 * JVM is attached to: the JDK's attach mechanism signals the process (SIGQUIT on Linux), which
 * kills a process that is not a JVM. The agent's real outcome is read back from the target's
 * system property {@link AgentState#PROPERTY}, which the agent sets before its agentmain returns.
 */
final class Attacher {
    private Attacher() {
    }

    static int list(PrintStream out) {
        String self = String.valueOf(ProcessHandle.current().pid());
        for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
            if (!vm.id().equals(self)) {
                out.println(vm.id() + "  " + (vm.displayName().isEmpty() ? "(no main class)" : vm.displayName()));
            }
        }
        return 0;
    }

    static int attach(String pid, String settings, PrintStream out, PrintStream err) {
        if (!pid.matches("[0-9]+")) {
            err.println("headcount: '" + pid + "' is not a process id");
            return 2;
        }
        if (!listed(pid)) {
            err.println("headcount: process " + pid + " is not a running JVM that this user can attach to;"
                    + " nothing was sent to it (attach --list shows the JVMs it can attach to)");
            return 1;
        }
        String state;
        try {
            File jar = new File(Attacher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(jar.getAbsolutePath(), settings);
                state = vm.getSystemProperties().getProperty(AgentState.PROPERTY);
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            err.println("headcount: could not attach to process " + pid + ": " + e);
            return 1;
        }
        return report(pid, state, out, err);
    }

    /** Tells what the agent did in the target, from the state it published; 0 only when it started. */
    static int report(String pid, String state, PrintStream out, PrintStream err) {
        if (AgentState.STARTED.equals(state)) {
            out.println("headcount: agent started in process " + pid + "; its log says where the metrics are");
            return 0;
        }
        if (AgentState.ALREADY_RUNNING.equals(state)) {
            err.println("headcount: the agent is already running in process " + pid + "; this attach changed nothing");
            return 1;
        }
        if (state != null && (state.startsWith(AgentState.OFF + " ") || state.startsWith(AgentState.FAILED + " "))) {
            err.println("headcount: the agent did not start in process " + pid + ": "
                    + state.substring(state.indexOf(' ') + 1));
            return 1;
        }
        err.println("headcount: the agent was loaded into process " + pid
                + " but reported no outcome (an older agent?); see the process's standard error");
        return 1;
    }

    private static boolean listed(String pid) {
        List<VirtualMachineDescriptor> vms = VirtualMachine.list();
        for (VirtualMachineDescriptor vm : vms) {
            if (vm.id().equals(pid)) {
                return true;
            }
        }
        return false;
    }
}
