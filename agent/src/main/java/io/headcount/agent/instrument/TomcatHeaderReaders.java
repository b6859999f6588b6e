package io.headcount.agent.instrument;

import io.headcount.agent.bootstrap.HeaderReader;
import io.headcount.agent.log.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.util.function.Function;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;

/**
 * Makes the {@link HeaderReader} for each request class the advice meets: a {@link TomcatHeaderReader}
 * for Tomcat's {@code RequestFacade}, none for any other class (the advice then reads through the
 * servlet API). Called by the sink once per request class, on the request thread of the first
 * request of that class; defining the reader takes about a millisecond, once.
 */
public final class TomcatHeaderReaders implements Function<Class<?>, HeaderReader> {
    static final String FACADE = "org.apache.catalina.connector.RequestFacade";
    /** The reader's name in Tomcat's loader: in the facade's package, whose protected field it reads. */
    static final String DEFINED_NAME = "org.apache.catalina.connector.HeadcountHeaderReader";
    private static final String SOURCE = "io/headcount/agent/instrument/TomcatHeaderReader";

    private byte[] renamed;

    @Override
    public synchronized HeaderReader apply(Class<?> requestType) {
        if (!FACADE.equals(requestType.getName())) {
            return null;
        }
        try {
            MethodHandles.Lookup facade = MethodHandles.privateLookupIn(requestType, MethodHandles.lookup());
            Class<?> reader;
            try {
                reader = facade.defineClass(renamedClassFile());
            } catch (LinkageError definedBefore) {
                // By an earlier factory for this loader; a loader above it may hold one of its own,
                // made for another facade class, which must not be taken.
                reader = facade.findClass(DEFINED_NAME);
                if (reader.getClassLoader() != requestType.getClassLoader()) {
                    throw definedBefore;
                }
            }
            return (HeaderReader) reader.getConstructor().newInstance();
        } catch (Throwable t) {
            Throwable cause = t;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            AgentLog.warn("cannot read Tomcat's headers in one pass (" + cause
                    + "); reading them through the servlet API, which costs each request more");
            return null;
        }
    }

    private byte[] renamedClassFile() throws IOException {
        if (renamed == null) {
            byte[] source;
            try (InputStream in = TomcatHeaderReaders.class.getClassLoader().getResourceAsStream(SOURCE + ".class")) {
                if (in == null) {
                    throw new IOException("no " + SOURCE + ".class in the agent's jar");
                }
                source = in.readAllBytes();
            }
            ClassWriter writer = new ClassWriter(0);
            new ClassReader(source).accept(new ClassRemapper(writer,
                    new SimpleRemapper(SOURCE, DEFINED_NAME.replace('.', '/'))), 0);
            renamed = writer.toByteArray();
        }
        return renamed;
    }
}
