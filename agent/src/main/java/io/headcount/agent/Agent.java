package io.headcount.agent;

import io.headcount.agent.config.InvalidSettingsException;
import io.headcount.agent.config.SecretMask;
import io.headcount.agent.config.SettingDefinitions;
import io.headcount.agent.config.Settings;
import io.headcount.agent.config.SettingsLoader;
import io.headcount.agent.instrument.BootstrapInjector;
import io.headcount.agent.log.AgentLog;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.Locale;
import java.util.jar.JarFile;

/**
 * The agent's entry points: {@code premain} for {@code -javaagent:}, {@code agentmain} for attach,
 * {@code main} for the command line.
 *
 * <p>Nothing here may throw into the JVM: an exception out of {@code premain} aborts the host app.
 * Whatever goes wrong is one log line, and the app runs without the agent.
 */
public final class Agent {
    private Agent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    public static void main(String[] arguments) {
        int status = CommandLine.run(arguments, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    private static void start(String arguments, Instrumentation instrumentation, boolean attached) {
        try {
            // Before this load's settings: a second load's own argument, bad or off, changes nothing.
            if (BootstrapInjector.alreadyInjected()) {
                // Said at the running agent's level: a second load changes nothing, its log level included.
                AgentLog.warn("already running in this JVM; the second load is ignored");
                AgentState.publish(AgentState.ALREADY_RUNNING);
                return;
            }
            Settings settings = SettingsLoader.load(arguments);
            if (!settings.get(SettingDefinitions.ENABLED)) {
                String reason = "off (enabled=false, " + settings.source(SettingDefinitions.ENABLED)
                        + "); the app runs without it";
                AgentLog.info(reason);
                AgentState.publish(AgentState.OFF, reason);
                return;
            }
            AgentLog.setLevel(AgentLog.Level.valueOf(settings.get(SettingDefinitions.LOG_LEVEL).toUpperCase(Locale.ROOT)));
            HeapSizedDefaults.Sized sized = HeapSizedDefaults.apply(settings, Runtime.getRuntime().maxMemory());
            settings = sized.settings;
            BuildInfo build;
            // The build info from this open jar, not as a class-loader resource: that goes through a
            // jar: URL, whose machinery took about 10 ms of the premain on one core. (A second JarFile
            // of the jar the class loader holds open shares its parsed directory: under 1 ms.)
            try (JarFile jar = new JarFile(agentJar())) {
                BootstrapInjector.inject(instrumentation, jar);
                build = BuildInfo.readFrom(jar);
            }
            // From here on the bootstrap package may be touched.
            AgentRuntime.start(settings, instrumentation, attached, build);
            AgentLog.info(startLine(settings, attached, build));
            if (sized.line != null) {
                AgentLog.info(sized.line);
            }
            AgentState.publish(AgentState.STARTED);
        } catch (InvalidSettingsException e) {
            String reason = e.getMessage() + "; the agent is off and the app runs without it";
            AgentLog.error(reason);
            AgentState.publish(AgentState.OFF, reason);
        } catch (Throwable t) {
            String reason = "could not start; the app runs without it: " + MissingModule.describe(t);
            AgentLog.error(reason);
            AgentState.publish(AgentState.FAILED, reason);
        }
    }

    /** The one line that says the agent is in: what it is, where its metrics go, what set it up. */
    static String startLine(Settings settings, boolean attached, BuildInfo build) {
        String mode = settings.get(SettingDefinitions.REDIS_URL) == null ? "in-memory mode"
                : "Redis mode (" + SecretMask.maskPassword(settings.get(SettingDefinitions.REDIS_URL)) + ")";
        String port = settings.get(SettingDefinitions.PORT) == 0 ? "0 (a free one, logged when chosen)" : String.valueOf(settings.get(SettingDefinitions.PORT));
        return "Headcount " + build + (attached ? " attached: " : " loaded: ") + mode
                + ", metrics port " + port + ", log level " + settings.get(SettingDefinitions.LOG_LEVEL)
                + ", settings from " + settings.sourcesSummary();
    }

    private static File agentJar() throws Exception {
        return new File(Agent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
