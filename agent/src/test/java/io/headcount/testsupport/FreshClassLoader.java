package io.headcount.testsupport;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * The test class path in a class loader of its own: libraries load and initialize afresh in it,
 * whatever other tests of the JVM did first, and it tells which classes it has loaded. Surefire's
 * manifest-only jar is followed through its Class-Path.
 */
public final class FreshClassLoader extends URLClassLoader {
    public FreshClassLoader() throws MalformedURLException {
        super(classPath(), ClassLoader.getPlatformClassLoader());
    }

    /** Whether this loader has loaded the class (it loads everything itself but the JDK's). */
    public boolean loaded(String name) {
        synchronized (getClassLoadingLock(name)) {
            return findLoadedClass(name) != null;
        }
    }

    private static URL[] classPath() throws MalformedURLException {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = new File(entries[i]).toURI().toURL();
        }
        return urls;
    }
}
