package io.headcount.it.harness;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Run in a child JVM with a jar on its class path: initializes every class of the jar under a
 * prefix, which links and so verifies it, and reports each class that the JVM's verifier refuses.
 * A class that fails otherwise (an optional library that is absent, an initializer that needs
 * what this JVM lacks) is only counted. Exits with 1 when any was refused.
 *
 * <p>Usage: {@code LinkEveryClass JAR PREFIX}; prints {@code linked N, not initialized M, refused K}
 * and then one line per refused class.
 */
public final class LinkEveryClass {
    private LinkEveryClass() {
    }

    public static void main(String[] args) throws IOException {
        ClassLoader loader = LinkEveryClass.class.getClassLoader();
        List<String> refused = new ArrayList<>();
        int linked = 0;
        int notInitialized = 0;
        try (JarFile jar = new JarFile(args[0])) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (!name.startsWith(args[1]) || !name.endsWith(".class") || name.endsWith("module-info.class")) {
                    continue;
                }
                String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                try {
                    Class.forName(className, true, loader);
                    linked++;
                } catch (VerifyError | ClassFormatError e) {
                    refused.add(className + ": " + e);
                } catch (Throwable e) {
                    notInitialized++;
                }
            }
        }
        System.out.println("linked " + linked + ", not initialized " + notInitialized + ", refused " + refused.size());
        refused.forEach(System.out::println);
        System.out.flush();
        // An initializer may have started a thread that would keep this JVM alive.
        Runtime.getRuntime().halt(refused.isEmpty() ? 0 : 1);
    }
}
