package io.headcount.bench;

import jakarta.servlet.Servlet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Defines {@code jakarta.servlet.http.HttpServlet} and {@link BenchServlet} itself, from their class
 * files passed through a transformation (the agent's transformer, or none for the baseline); every
 * other class comes from the parent, so the request, response and servlet interfaces are shared with
 * the benchmark. Both variants load the same way, so they differ only in the advice.
 */
public final class ServletClassLoader extends ClassLoader {
    public static final String HTTP_SERVLET = "jakarta.servlet.http.HttpServlet";
    private static final String BENCH_SERVLET = BenchServlet.class.getName();

    private final Map<String, byte[]> own = new LinkedHashMap<>();

    private ServletClassLoader(ClassLoader parent) {
        super("bench-servlets", parent);
    }

    /**
     * A new {@link BenchServlet} whose class and {@code HttpServlet} superclass are defined from
     * their class files after {@code transformation}.
     */
    public static Servlet servlet(ClassTransformation transformation) {
        ClassLoader parent = ServletClassLoader.class.getClassLoader();
        ServletClassLoader loader = new ServletClassLoader(parent);
        for (String name : new String[] {HTTP_SERVLET, BENCH_SERVLET}) {
            loader.own.put(name, transformation.apply(parent, name, classBytes(parent, name)));
        }
        try {
            Class<?> type = loader.loadClass(BENCH_SERVLET);
            return (Servlet) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the benchmark servlet", e);
        }
    }

    /** What is done to a class file before it is defined. */
    @FunctionalInterface
    public interface ClassTransformation {
        byte[] apply(ClassLoader loader, String className, byte[] classFile);
    }

    /** The class file of a class as a loader has it. */
    public static byte[] classBytes(ClassLoader loader, String className) {
        String resource = className.replace('.', '/') + ".class";
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        byte[] bytes = own.get(name);
        if (bytes == null) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> type = findLoadedClass(name);
            if (type == null) {
                type = defineClass(name, bytes, 0, bytes.length);
            }
            if (resolve) {
                resolveClass(type);
            }
            return type;
        }
    }
}
