package io.headcount.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildInfoTest {
    @TempDir
    Path directory;

    @Test
    void readsTheVersionAndRevisionFromTheOpenAgentJar() throws Exception {
        Path jar = jar("agent.jar", "version=0.2.0\nrevision=4f3c2a1\n");
        try (JarFile open = new JarFile(jar.toFile())) {
            assertEquals("0.2.0 (revision 4f3c2a1)", BuildInfo.readFrom(open).toString());
        }
    }

    @Test
    void aJarWithoutThemOrWithTheirPlaceholdersSaysUnknown() throws Exception {
        try (JarFile open = new JarFile(jar("none.jar", null).toFile())) {
            assertEquals("unknown (revision unknown)", BuildInfo.readFrom(open).toString());
        }
        try (JarFile open = new JarFile(jar("unfiltered.jar", "version=${project.version}\nrevision=\n").toFile())) {
            assertEquals("unknown (revision unknown)", BuildInfo.readFrom(open).toString());
        }
    }

    private Path jar(String name, String properties) throws Exception {
        Path jar = directory.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("io/headcount/agent/Other.txt"));
            out.closeEntry();
            if (properties != null) {
                out.putNextEntry(new JarEntry("io/headcount/agent/build.properties"));
                out.write(properties.getBytes(StandardCharsets.ISO_8859_1));
                out.closeEntry();
            }
        }
        return jar;
    }
}
