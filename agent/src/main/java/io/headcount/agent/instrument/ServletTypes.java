package io.headcount.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells whether a class is a servlet or a filter, and of which namespace, from class-file headers
 * alone. Answers are remembered by class name, so each ancestor is read once; a class's own
 * header comes from the bytes being loaded, its ancestors' from its class loader's resources.
 */
final class ServletTypes {
    /** Which servlet API a type belongs to. */
    enum Namespace { NONE, JAKARTA, JAVAX }

    private static final int MAX_DEPTH = 40;
    private final Map<String, Namespace> known = new ConcurrentHashMap<>();

    ServletTypes() {
        known.put("jakarta/servlet/Servlet", Namespace.JAKARTA);
        known.put("jakarta/servlet/Filter", Namespace.JAKARTA);
        known.put("javax/servlet/Servlet", Namespace.JAVAX);
        known.put("javax/servlet/Filter", Namespace.JAVAX);
        known.put("java/lang/Object", Namespace.NONE);
    }

    /** @param className internal name of the class being loaded, whose bytes are given */
    Namespace of(String className, byte[] classfile, ClassLoader loader) {
        Namespace cached = known.get(className);
        if (cached != null) {
            return cached;
        }
        ClassHeader header = ClassHeader.parse(classfile);
        if (header == null) {
            return Namespace.NONE;
        }
        // Most classes are nobody's ancestor: remember them only when they are servlet types.
        Namespace found = ofAncestors(header, loader, 0);
        if (found != Namespace.NONE) {
            known.put(className, found);
        }
        return found;
    }

    private Namespace ofAncestors(ClassHeader header, ClassLoader loader, int depth) {
        Namespace found = Namespace.NONE;
        if (header != null && depth < MAX_DEPTH) {
            found = ofAncestor(header.superName, loader, depth);
            for (int i = 0; found == Namespace.NONE && i < header.interfaceNames.size(); i++) {
                found = ofAncestor(header.interfaceNames.get(i), loader, depth);
            }
        }
        return found;
    }

    private Namespace ofAncestor(String name, ClassLoader loader, int depth) {
        if (name == null || name.startsWith("java/") || name.startsWith("jdk/") || name.startsWith("sun/")) {
            return Namespace.NONE;
        }
        Namespace cached = known.get(name);
        if (cached != null) {
            return cached;
        }
        Namespace found = ofAncestors(ClassHeader.parse(read(name, loader)), loader, depth + 1);
        known.put(name, found);
        return found;
    }

    private static byte[] read(String name, ClassLoader loader) {
        String resource = name + ".class";
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }
}
