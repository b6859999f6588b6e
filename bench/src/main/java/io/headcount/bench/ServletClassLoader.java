package io.headcount.bench;

import jakarta.servlet.Servlet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Defines {@code jakarta.servlet.http.HttpServlet} from the bytes it is given (woven by the agent's
 * transformer, or untouched for the baseline) and {@link BenchServlet} on top of it; every other
 * class comes from the parent, so the request, response and servlet interfaces are shared with the
 * benchmark. Both variants load the same way, so they differ only in the advice.
 */
public final class ServletClassLoader extends ClassLoader {
    public static final String HTTP_SERVLET = "jakarta.servlet.http.HttpServlet";
    private static final String BENCH_SERVLET = BenchServlet.class.getName();

    private final Map<String, byte[]> own;

    private ServletClassLoader(ClassLoader parent, byte[] httpServlet) {
        super("bench-servlets", parent);
        this.own = Map.of(HTTP_SERVLET, httpServlet, BENCH_SERVLET, classBytes(parent, BENCH_SERVLET));
    }

    /** A new {@link BenchServlet} whose {@code HttpServlet} superclass is defined from these bytes. */
    public static Servlet servletOn(byte[] httpServlet) {
        ClassLoader parent = ServletClassLoader.class.getClassLoader();
        try {
            Class<?> type = new ServletClassLoader(parent, httpServlet).loadClass(BENCH_SERVLET);
            return (Servlet) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the benchmark servlet", e);
        }
    }

    /** The class file of a class as the parent loader has it. */
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
