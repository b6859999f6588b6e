package io.headcount.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;

/**
 * The javax servlet advice, derived from {@link JakartaServletAdvice}'s class file: the two
 * namespaces have the same types, methods and constants under other package names, so one source
 * serves both and the two can never drift apart. Derived once, when the first javax class is woven.
 */
final class JavaxAdvice {
    /** The derived class's name: it exists only as the bytes {@link #fromJakarta} makes. */
    static final String NAME = "io.headcount.agent.instrument.JavaxServletAdvice";
    private static final String JAKARTA_TYPES = "jakarta/servlet/";
    private static final String JAVAX_TYPES = "javax/servlet/";
    /** Constants inlined from the API, such as {@code RequestDispatcher.ERROR_REQUEST_URI}, name it too. */
    private static final String JAKARTA_CONSTANTS = "jakarta.servlet.";
    private static final String JAVAX_CONSTANTS = "javax.servlet.";
    private static final String JAKARTA_ADVICE = "io/headcount/agent/instrument/JakartaServletAdvice";

    private JavaxAdvice() {
    }

    static byte[] fromJakarta(byte[] jakartaAdvice) {
        ClassReader reader = new ClassReader(jakartaAdvice);
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassRemapper(writer, new ToJavax()), 0);
        return writer.toByteArray();
    }

    private static final class ToJavax extends Remapper {
        @Override
        public String map(String internalName) {
            if (internalName.equals(JAKARTA_ADVICE)) {
                return NAME.replace('.', '/');
            }
            return internalName.startsWith(JAKARTA_TYPES)
                    ? JAVAX_TYPES + internalName.substring(JAKARTA_TYPES.length()) : internalName;
        }

        @Override
        public Object mapValue(Object value) {
            if (value instanceof String && ((String) value).startsWith(JAKARTA_CONSTANTS)) {
                return JAVAX_CONSTANTS + ((String) value).substring(JAKARTA_CONSTANTS.length());
            }
            return super.mapValue(value);
        }
    }
}
