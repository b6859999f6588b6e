package io.headcount.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.AnalyzerAdapter;

/**
 * Rewrites the agent jar's shaded classes so that the JVM's bytecode verifier loads fewer classes
 * in the app's JVM. The verifier checks each value that a method returns, stores in a field,
 * passes to a method or throws against the declared type, and when the two types differ it loads
 * both classes to compare them: verifying Reactor's {@code Mono} loads the class of every operator
 * its methods return, and lettuce's connection loads every command interface its unused
 * {@code async()} and {@code reactive()} return. Only the boot class loader's classes go
 * unverified, and the agent's libraries cannot live there.
 *
 * <p>Where such a value is consumed, a {@code checkcast} to the declared type is put in front of
 * the consuming instruction; a call's argument below the top of the stack is reached by storing
 * the arguments above it in local slots past the method's own and loading them back. The verifier
 * takes a {@code checkcast} without loading its class, after which the two types are the same name
 * and it loads nothing. At run time the cast always succeeds, for the value's type is a subtype of
 * the declared one: for a class the verifier proved it before; for an interface, which the
 * verifier takes on trust, the compiler did, as javac casts a value itself wherever the language's
 * types do not already show it. The JIT drops the cast, as it drops the stores and loads; it
 * resolves its class only when it runs, on a path that would have loaded that class anyway. Types
 * merged at branch targets are left as they are. Class files keep their version; nothing else
 * changes. {@code AgentJarIT} links every class of the packaged jar.
 *
 * <p>Run by the agent's build after the shade plugin: {@code VerifierCasts JAR PREFIX...} rewrites
 * the classes under each prefix in place and prints how many casts it inserted.
 */
public final class VerifierCasts {
    private static final String OBJECT = "java/lang/Object";
    private static final Type THROWABLE = Type.getObjectType("java/lang/Throwable");

    private int classesChanged;
    private int castsInserted;

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: VerifierCasts JAR PREFIX...   (a prefix such as io/headcount/shaded/)");
            System.exit(2);
        }
        Path jar = Paths.get(args[0]);
        VerifierCasts casts = new VerifierCasts();
        casts.rewriteJar(jar, Arrays.asList(args).subList(1, args.length));
        System.out.println("VerifierCasts: " + casts.castsInserted + " casts inserted in " + casts.classesChanged
                + " classes of " + jar.getFileName());
    }

    /** Rewrites the jar in place, every entry kept in its order, with its time. */
    void rewriteJar(Path jar, List<String> prefixes) throws IOException {
        Path rewritten = Files.createTempFile(jar.toAbsolutePath().getParent(), "verifier-casts-", ".jar");
        try {
            try (ZipFile in = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(rewritten);
                 ZipOutputStream out = new ZipOutputStream(file)) {
                for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements();) {
                    ZipEntry entry = entries.nextElement();
                    byte[] bytes;
                    try (InputStream content = in.getInputStream(entry)) {
                        bytes = content.readAllBytes();
                    }
                    if (entry.getName().endsWith(".class") && prefixes.stream().anyMatch(entry.getName()::startsWith)) {
                        bytes = rewriteClass(bytes);
                    }
                    ZipEntry copy = new ZipEntry(entry.getName());
                    copy.setTime(entry.getTime());
                    out.putNextEntry(copy);
                    out.write(bytes);
                    out.closeEntry();
                }
            }
            Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(rewritten);
        }
    }

    /** The class with casts inserted, or the same bytes when none was needed. */
    byte[] rewriteClass(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        Map<String, Integer> maxLocals = maxLocals(reader);
        ClassWriter writer = new ClassWriter(0);
        int[] inserted = {0};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String owner;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                owner = name;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor target = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (target == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                    return target;
                }
                CastInserter inserter = new CastInserter(target, Type.getReturnType(descriptor),
                        maxLocals.getOrDefault(name + descriptor, -1), inserted);
                // The analyzer passes each instruction on before it applies it, so the inserter sees
                // the stack as the instruction finds it.
                inserter.stack = new AnalyzerAdapter(owner, access, name, descriptor, inserter);
                return inserter.stack;
            }
        }, ClassReader.EXPAND_FRAMES);
        if (inserted[0] == 0) {
            return bytes;
        }
        classesChanged++;
        castsInserted += inserted[0];
        return writer.toByteArray();
    }

    /** Each method's number of local variable slots, by name and descriptor: where spilled values can go. */
    private static Map<String, Integer> maxLocals(ClassReader reader) {
        Map<String, Integer> locals = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int maxLocalSlots) {
                        locals.put(name + descriptor, maxLocalSlots);
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return locals;
    }

    /**
     * Inserts a cast in front of each instruction that consumes a value of another declared type.
     * A call's argument below the top of the stack is reached by storing the arguments above it in
     * local slots past the method's own, casting it, and loading them back (each cast again where
     * it needs one): the stack is as deep as before and no branch target falls in between, so the
     * method's stack map frames still hold, the extra slots being unused at every one of them.
     */
    private static final class CastInserter extends MethodVisitor {
        private final Type returnType;
        private final int[] inserted;
        /** The first slot past the method's own locals; -1 when unknown, and nothing is spilled. */
        private final int spillBase;
        private int spillSlots;
        private AnalyzerAdapter stack;

        CastInserter(MethodVisitor target, Type returnType, int spillBase, int[] inserted) {
            super(Opcodes.ASM9, target);
            this.returnType = returnType;
            this.spillBase = spillBase;
            this.inserted = inserted;
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack, Math.max(maxLocals, spillBase + spillSlots));
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.ARETURN) {
                castTopTo(returnType);
            } else if (opcode == Opcodes.ATHROW) {
                castTopTo(THROWABLE);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            if (opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC) {
                castTopTo(Type.getType(descriptor));
            }
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            castArguments(Type.getArgumentTypes(descriptor));
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            castArguments(Type.getArgumentTypes(descriptor));
            super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
        }

        /** Casts every argument that needs it: the top one in place, a lower one by spilling those above it. */
        private void castArguments(Type[] arguments) {
            if (arguments.length == 0 || stack.stack == null) {
                return;
            }
            // Each argument's entry on the analyzer's stack (a long or double takes two, its value first).
            int[] entry = new int[arguments.length];
            int at = stack.stack.size();
            for (int i = arguments.length - 1; i >= 0; i--) {
                at -= arguments[i].getSize();
                entry[i] = at;
            }
            if (at < 0) {
                return;
            }
            int lowest = -1;
            for (int i = 0; i < arguments.length - 1 && lowest < 0; i++) {
                if (needsCast(arguments[i], stack.stack.get(entry[i]))) {
                    lowest = i;
                }
            }
            if (lowest < 0 || spillBase < 0 || !spillable(arguments, entry, lowest + 1)) {
                castTopTo(arguments[arguments.length - 1]);
                return;
            }
            int[] slot = new int[arguments.length];
            int next = spillBase;
            for (int i = lowest + 1; i < arguments.length; i++) {
                slot[i] = next;
                next += arguments[i].getSize();
            }
            spillSlots = Math.max(spillSlots, next - spillBase);
            for (int i = arguments.length - 1; i > lowest; i--) {
                super.visitVarInsn(storeOpcode(stack.stack.get(entry[i])), slot[i]);
            }
            castTo(arguments[lowest]);
            for (int i = lowest + 1; i < arguments.length; i++) {
                Object value = stack.stack.get(entry[i]);
                super.visitVarInsn(storeOpcode(value) - (Opcodes.ISTORE - Opcodes.ILOAD), slot[i]);
                if (needsCast(arguments[i], value)) {
                    castTo(arguments[i]);
                }
            }
        }

        /** Whether the arguments from {@code from} on can be stored: none is an uninitialized object. */
        private boolean spillable(Type[] arguments, int[] entry, int from) {
            for (int i = from; i < arguments.length; i++) {
                Object value = stack.stack.get(entry[i]);
                if (value instanceof String || value == Opcodes.NULL || value == Opcodes.INTEGER
                        || value == Opcodes.FLOAT || value == Opcodes.LONG || value == Opcodes.DOUBLE) {
                    continue;
                }
                return false;
            }
            return true;
        }

        private static int storeOpcode(Object value) {
            if (value == Opcodes.LONG) {
                return Opcodes.LSTORE;
            } else if (value == Opcodes.DOUBLE) {
                return Opcodes.DSTORE;
            } else if (value == Opcodes.FLOAT) {
                return Opcodes.FSTORE;
            } else if (value == Opcodes.INTEGER) {
                return Opcodes.ISTORE;
            }
            return Opcodes.ASTORE;
        }

        /** A cast when the top value is of a named class other than the declared one (see {@link #needsCast}). */
        private void castTopTo(Type declared) {
            if (stack.stack == null || stack.stack.isEmpty()
                    || !needsCast(declared, stack.stack.get(stack.stack.size() - 1))) {
                return;
            }
            castTo(declared);
        }

        private void castTo(Type declared) {
            super.visitTypeInsn(Opcodes.CHECKCAST, declared.getInternalName());
            inserted[0]++;
        }

        /**
         * Whether a value, as the analyzer names it, is an object of a named class other than the
         * declared one, which is not {@code Object}: not null, not an uninitialized object, not an
         * array (whose checks are left alone).
         */
        private static boolean needsCast(Type declared, Object value) {
            if (declared.getSort() != Type.OBJECT || !(value instanceof String)) {
                return false;
            }
            String wanted = declared.getInternalName();
            return !OBJECT.equals(wanted) && !wanted.equals(value) && !((String) value).startsWith("[");
        }
    }
}
