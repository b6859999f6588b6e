package io.headcount.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.headcount.it.harness.TestJars;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
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
