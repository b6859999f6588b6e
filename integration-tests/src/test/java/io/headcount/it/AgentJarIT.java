package io.headcount.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.ChildProcesses;
import io.headcount.it.harness.LinkEveryClass;
import io.headcount.it.harness.TestJars;
import io.headcount.it.harness.TestJdks;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged agent jar is what the contract promises: loadable on Java 11, self-contained, relocated. */
class AgentJarIT {
    private static final int JAVA_11 = 55;

    @Test
    void everyClassLoadsOnJava11() throws IOException {
        List<String> tooNew = new ArrayList<>();
        int classes = 0;
        try (JarFile jar = new JarFile(TestJars.agent().toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                classes++;
                int major = majorVersion(jar, entry);
                if (major > JAVA_11) {
                    tooNew.add(entry.getName() + " (class-file version " + major + ")");
                }
            }
        }
        assertTrue(classes > 0, "the agent jar holds no classes");
        assertEquals(List.of(), firstOf(tooNew), tooNew.size() + " classes need a JVM newer than 11");
    }

    /**
     * The build rewrites the shaded classes (build-tools, VerifierCasts): every one of them must
     * still pass the JVM's own verifier, on every JDK the tests run on. Each is initialized in a
     * child JVM, which links it; one that needs an optional library the agent leaves out fails
     * otherwise and only counts.
     */
    @Test
    void everyShadedClassPassesTheJvmsVerifier() throws Exception {
        Path harness = Path.of(LinkEveryClass.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (TestJdks.Jdk jdk : TestJdks.all()) {
            Process child = new ProcessBuilder(jdk.java().toString(), "-cp",
                    TestJars.agent() + File.pathSeparator + harness, LinkEveryClass.class.getName(),
                    TestJars.agent().toString(), "io/headcount/shaded/")
                    .redirectErrorStream(true).start();
            String output;
            try {
                output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(child.waitFor(5, TimeUnit.MINUTES), jdk + ": the child JVM did not finish");
            } finally {
                ChildProcesses.stop(child);
            }
            Matcher counts = Pattern.compile("linked (\\d+), not initialized (\\d+), refused (\\d+)").matcher(output);
            assertTrue(counts.find(), jdk + ": " + output);
            System.out.println(jdk + ", the agent jar's classes under io/headcount/shaded/: " + counts.group());
            assertEquals("0", counts.group(3), jdk + ": " + output);
            assertTrue(Integer.parseInt(counts.group(1)) > 7_000, jdk + ": " + counts.group());
        }
    }

    @Test
    void everyDependencyIsRelocatedUnderTheShadedPackage() throws IOException {
        List<String> outside = new ArrayList<>();
        try (JarFile jar = new JarFile(TestJars.agent().toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".class")
                        && !name.startsWith("io/headcount/agent/")
                        && !name.startsWith("io/headcount/shaded/")) {
                    outside.add(name);
                }
            }
        }
        assertEquals(List.of(), firstOf(outside),
                outside.size() + " classes are neither the agent's own nor under io/headcount/shaded/");
    }

    @Test
    void manifestDeclaresPremainAgentMainAndRetransformation() throws IOException {
        try (JarFile jar = new JarFile(TestJars.agent().toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            for (String entryPoint : List.of("Premain-Class", "Agent-Class", "Main-Class")) {
                String className = manifest.getValue(entryPoint);
                assertNotNull(className, entryPoint + " is missing from the manifest");
                assertNotNull(jar.getJarEntry(className.replace('.', '/') + ".class"),
                        entryPoint + " names " + className + ", which is not in the jar");
            }
            assertEquals("true", manifest.getValue("Can-Retransform-Classes"));
        }
    }

    private static int majorVersion(JarFile jar, JarEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry); DataInputStream data = new DataInputStream(in)) {
            int magic = data.readInt();
            assertEquals(0xCAFEBABE, magic, entry.getName() + " is not a class file");
            data.readUnsignedShort(); // minor version
            return data.readUnsignedShort();
        }
    }

    /** The first few offenders: enough to act on without flooding the report. */
    private static List<String> firstOf(List<String> names) {
        return names.subList(0, Math.min(20, names.size()));
    }
}
