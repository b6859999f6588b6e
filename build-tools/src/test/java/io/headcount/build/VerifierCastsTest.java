package io.headcount.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierCastsTest {
    private static final String FIXTURE = "io.headcount.build.fixture.";

    @Test
    void aReturnedSubclassIsNoLongerLoadedToVerifyTheMethod() throws Exception {
        assertEquals(List.of("Returns", "Animal", "Dog"), loadedToLink("Returns", false));
        assertEquals(List.of("Returns"), loadedToLink("Returns", true));
    }

    @Test
    void norOnePassedAsTheLastArgument() throws Exception {
        assertEquals(List.of("PassesLast", "Animal", "Dog"), loadedToLink("PassesLast", false));
        assertEquals(List.of("PassesLast"), loadedToLink("PassesLast", true));
    }

    @Test
    void norOneBelowTheTopOfTheStack() throws Exception {
        assertEquals(List.of("PassesFirst", "Animal", "Dog"), loadedToLink("PassesFirst", false));
        assertEquals(List.of("PassesFirst"), loadedToLink("PassesFirst", true));
    }

    @Test
    void norEitherOfTwoAroundALong() throws Exception {
        assertEquals(List.of("PassesAroundALong", "Animal", "Cat", "Pet", "Dog"), loadedToLink("PassesAroundALong", false));
        assertEquals(List.of("PassesAroundALong"), loadedToLink("PassesAroundALong", true));
    }

    @Test
    void norOneStoredInAFieldOfItsSuperclass() throws Exception {
        assertEquals(List.of("Stores", "Animal", "Dog"), loadedToLink("Stores", false));
        assertEquals(List.of("Stores"), loadedToLink("Stores", true));
    }

    @Test
    void norAnExceptionOnAPathNotTaken() throws Exception {
        assertEquals(List.of("Throws", "Trouble"), loadedToLink("Throws", false));
        assertEquals(List.of("Throws"), loadedToLink("Throws", true));
    }

    @Test
    void norAnInterfaceThatAMethodReturns() throws Exception {
        assertEquals(List.of("Interfaces", "Pet"), loadedToLink("Interfaces", false));
        assertEquals(List.of("Interfaces"), loadedToLink("Interfaces", true));
    }

    @Test
    void theRewrittenMethodsDoWhatTheyDid() throws Exception {
        FixtureLoader loader = new FixtureLoader(true);
        assertEquals(FIXTURE + "Dog", call(loader, "Returns", "animal").getClass().getName());
        assertEquals(FIXTURE + "Dog", call(loader, "PassesLast", "pass").getClass().getName());
        assertEquals(FIXTURE + "Dog", call(loader, "PassesFirst", "pass").getClass().getName());
        assertEquals("Dog 7 Cat", call(loader, "PassesAroundALong", "pass"));
        call(loader, "Stores", "keep");
        assertEquals(FIXTURE + "Dog", loader.loadClass(FIXTURE + "Stores").getField("kept").get(null).getClass().getName());
        Class<?> throwing = loader.loadClass(FIXTURE + "Throws");
        throwing.getMethod("check", boolean.class).invoke(null, true);
        InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> throwing.getMethod("check", boolean.class).invoke(null, false));
        assertEquals(FIXTURE + "Trouble", thrown.getCause().getClass().getName());
    }

    @Test
    void aClassKeepsItsVersionAndIsRewrittenOnceOnly() {
        VerifierCasts casts = new VerifierCasts();
        byte[] original = fixtureBytes("Returns");
        byte[] once = casts.rewriteClass(original);
        byte[] twice = casts.rewriteClass(once);
        assertEquals(version(original), version(once));
        assertArrayEquals(once, twice);
        assertArrayEquals(fixtureBytes("Animal"), casts.rewriteClass(fixtureBytes("Animal")), "nothing to cast");
    }

    @Test
    void theJarKeepsItsEntriesInOrderAndRewritesOnlyThePrefixesClasses(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("agent.jar");
        String returns = "io/headcount/build/fixture/Returns.class";
        String outside = "other/Returns.class";
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream out = new ZipOutputStream(file)) {
            for (String name : List.of("META-INF/MANIFEST.MF", returns, outside)) {
                ZipEntry entry = new ZipEntry(name);
                entry.setTime(1_700_000_000_000L);
                out.putNextEntry(entry);
                out.write(name.endsWith(".class") ? fixtureBytes("Returns") : "Manifest-Version: 1.0\n".getBytes());
                out.closeEntry();
            }
        }
        new VerifierCasts().rewriteJar(jar, List.of("io/headcount/build/"));
        List<String> names = new ArrayList<>();
        try (ZipFile rewritten = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = rewritten.entries(); entries.hasMoreElements();) {
                ZipEntry entry = entries.nextElement();
                names.add(entry.getName());
                assertEquals(1_700_000_000_000L, entry.getTime());
            }
            assertArrayEquals(new VerifierCasts().rewriteClass(fixtureBytes("Returns")), read(rewritten, returns));
            assertArrayEquals(fixtureBytes("Returns"), read(rewritten, outside));
        }
        assertEquals(List.of("META-INF/MANIFEST.MF", returns, outside), names);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(jar), files.toList(), "no temporary file left");
        }
    }

    /** The fixture classes the JVM loads to link (and so verify) one fixture, in order. */
    private static List<String> loadedToLink(String simpleName, boolean rewritten) throws Exception {
        FixtureLoader loader = new FixtureLoader(rewritten);
        Class.forName(FIXTURE + simpleName, true, loader);
        return new ArrayList<>(loader.requested);
    }

    private static Object call(FixtureLoader loader, String simpleName, String method) throws Exception {
        return loader.loadClass(FIXTURE + simpleName).getMethod(method).invoke(null);
    }

    private static int version(byte[] classFile) {
        return (classFile[6] & 0xff) << 8 | classFile[7] & 0xff;
    }

    private static byte[] read(ZipFile zip, String name) throws IOException {
        try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
            return in.readAllBytes();
        }
    }

    private static byte[] fixtureBytes(String simpleName) {
        try (InputStream in = VerifierCastsTest.class.getResourceAsStream("fixture/" + simpleName + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Defines the fixture classes itself, rewritten or not, and records each one the JVM asks it
     * for (by simple name, in order): the verifier's loads among them.
     */
    private static final class FixtureLoader extends ClassLoader {
        final Set<String> requested = new LinkedHashSet<>();
        private final UnaryOperator<byte[]> transform;

        FixtureLoader(boolean rewritten) {
            super(VerifierCastsTest.class.getClassLoader());
            VerifierCasts casts = new VerifierCasts();
            this.transform = rewritten ? casts::rewriteClass : bytes -> bytes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(FIXTURE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                String simpleName = name.substring(FIXTURE.length());
                requested.add(simpleName);
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    byte[] bytes = transform.apply(fixtureBytes(simpleName));
                    loaded = defineClass(name, bytes, 0, bytes.length);
                }
                return loaded;
            }
        }
    }
}
