package io.headcount.agent.instrument;

import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves the servlet advice into a class as it loads, with nothing but ASM: the advice's two
 * methods are copied into the class as private static methods, and each {@code service} or
 * {@code doFilter} method calls the first on entry and the second on every way out, an exception
 * included. This is what Byte Buddy's inlining gives, for classes whose methods are plain enough,
 * without loading Byte Buddy's several hundred classes while the app starts.
 *
 * <p>Not for a class being retransformed (the JVM allows no new methods then), nor for class files
 * older than Java 7, nor for a method that stores into its request or response parameter: for
 * those {@link #weave} answers null and the general weaver takes over.
 */
final class AdviceCallWeaver {
    static final String ENTER = "headcount$enter";
    static final String EXIT = "headcount$exit";
    /** What {@link #weave} answers for a class it cannot weave. */
    static final byte[] NEEDS_GENERAL_WEAVER = new byte[0];
    private static final int JAVA_7 = 51;
    private static final int ASM_API = Opcodes.ASM9;

    private AdviceCallWeaver() {
    }

    /**
     * @param api the servlet API's package, internal form: {@code jakarta/servlet/} or {@code javax/servlet/}
     * @param advice the class file of that API's advice ({@code enter(ServletRequest)} and
     *     {@code exit(ServletRequest, ServletResponse, Throwable)})
     * @return the woven class file; null when the class has no method to advise; or
     *     {@link #NEEDS_GENERAL_WEAVER}
     */
    static byte[] weave(byte[] classfile, String api, byte[] advice) {
        ClassReader reader = new ClassReader(classfile);
        if (reader.readUnsignedShort(6) < JAVA_7) {
            return NEEDS_GENERAL_WEAVER;
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        Weaving weaving = new Weaving(writer, api, advice);
        try {
            reader.accept(weaving, ClassReader.EXPAND_FRAMES);
        } catch (NeedsGeneralWeaver e) {
            return NEEDS_GENERAL_WEAVER;
        }
        return weaving.woven ? writer.toByteArray() : null;
    }

    /** Which of a method's parameters it is, when it is one of the methods to advise; else null. */
    static String[] advisedParameters(int access, String name, String descriptor, String api) {
        if ((access & Opcodes.ACC_PUBLIC) == 0 || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC
                | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE)) != 0) {
            return null;
        }
        int arguments = name.equals("service") ? 2 : name.equals("doFilter") ? 3 : -1;
        Type[] types = Type.getArgumentTypes(descriptor);
        if (types.length != arguments) {
            return null;
        }
        String request = types[0].getInternalName();
        String response = types[1].getInternalName();
        boolean known = (request.equals(api + "ServletRequest") || request.equals(api + "http/HttpServletRequest"))
                && (response.equals(api + "ServletResponse") || response.equals(api + "http/HttpServletResponse"));
        if (!known && types[0].getSort() == Type.OBJECT && types[1].getSort() == Type.OBJECT) {
            // Perhaps the app's own subtype of the request: only the general weaver can tell.
            throw new NeedsGeneralWeaver();
        }
        return known ? new String[] {request, response} : null;
    }

    private static final class Weaving extends ClassVisitor {
        private final String api;
        private final byte[] advice;
        private String owner;
        boolean woven;

        Weaving(ClassVisitor next, String api, byte[] advice) {
            super(ASM_API, next);
            this.api = api;
            this.advice = advice;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            owner = name;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            if (name.equals(ENTER) || name.equals(EXIT)) {
                throw new NeedsGeneralWeaver(); // woven before: leave it to the general weaver to see
            }
            MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
            String[] parameters = advisedParameters(access, name, descriptor, api);
            if (parameters == null) {
                return method;
            }
            woven = true;
            return new AdvisedMethod(method, owner, api, parameters[0], parameters[1]);
        }

        @Override
        public void visitEnd() {
            if (woven) {
                new ClassReader(advice).accept(new AdviceCopier(cv), 0);
            }
            super.visitEnd();
        }
    }

    /** Calls the copied enter method first, and the exit method before every return and on any throwable. */
    private static final class AdvisedMethod extends MethodVisitor {
        private final String owner;
        private final String enterDescriptor;
        private final String exitDescriptor;
        private final String requestType;
        private final String responseType;
        private final Label start = new Label();
        private final Label end = new Label();
        private final Label handler = new Label();

        AdvisedMethod(MethodVisitor next, String owner, String api, String requestType, String responseType) {
            super(ASM_API, next);
            this.owner = owner;
            this.requestType = requestType;
            this.responseType = responseType;
            this.enterDescriptor = "(L" + api + "ServletRequest;)V";
            this.exitDescriptor = "(L" + api + "ServletRequest;L" + api + "ServletResponse;Ljava/lang/Throwable;)V";
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitVarInsn(Opcodes.ALOAD, 1);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, owner, ENTER, enterDescriptor, false);
            super.visitLabel(start);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                super.visitVarInsn(Opcodes.ALOAD, 1);
                super.visitVarInsn(Opcodes.ALOAD, 2);
                super.visitInsn(Opcodes.ACONST_NULL);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, owner, EXIT, exitDescriptor, false);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitVarInsn(int opcode, int variable) {
            if (opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE && (variable == 1 || variable == 2)) {
                // The handler below reads the request and response from their slots.
                throw new NeedsGeneralWeaver();
            }
            super.visitVarInsn(opcode, variable);
        }

        @Override
        public void visitIincInsn(int variable, int increment) {
            if (variable == 1 || variable == 2) {
                throw new NeedsGeneralWeaver();
            }
            super.visitIincInsn(variable, increment);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitLabel(end);
            // Registered after the method's own handlers, so that those still come first.
            super.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
            super.visitLabel(handler);
            super.visitFrame(Opcodes.F_NEW, 3, new Object[] {Opcodes.TOP, requestType, responseType},
                    1, new Object[] {"java/lang/Throwable"});
            // Stack: thrown. Call exit(request, response, thrown) and throw it on.
            super.visitInsn(Opcodes.DUP);
            super.visitVarInsn(Opcodes.ALOAD, 1);
            super.visitInsn(Opcodes.SWAP);
            super.visitVarInsn(Opcodes.ALOAD, 2);
            super.visitInsn(Opcodes.SWAP);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, owner, EXIT, exitDescriptor, false);
            super.visitInsn(Opcodes.ATHROW);
            super.visitMaxs(Math.max(maxStack, 1) + 4, Math.max(maxLocals, 3));
        }
    }

    /**
     * Copies the advice's enter and exit methods into the woven class, without annotations or
     * debug information. Nothing else of the advice class goes over: this visitor passes on no
     * other event.
     */
    private static final class AdviceCopier extends ClassVisitor {
        private final ClassVisitor target;

        AdviceCopier(ClassVisitor target) {
            super(ASM_API);
            this.target = target;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            String copy = name.equals("enter") ? ENTER : name.equals("exit") ? EXIT : null;
            if (copy == null) {
                return null;
            }
            MethodVisitor method = target.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                    copy, descriptor, null, null);
            return new MethodVisitor(ASM_API, method) {
                @Override
                public AnnotationVisitor visitAnnotation(String type, boolean visible) {
                    return null;
                }

                @Override
                public AnnotationVisitor visitParameterAnnotation(int parameter, String type, boolean visible) {
                    return null;
                }

                @Override
                public void visitAnnotableParameterCount(int count, boolean visible) {
                }

                @Override
                public void visitParameter(String name, int access) {
                }

                @Override
                public void visitLineNumber(int line, Label label) {
                }

                @Override
                public void visitLocalVariable(String name, String descriptor, String signature, Label start,
                                               Label end, int index) {
                }
            };
        }
    }

    /** This class is not plain enough for the call weaver. */
    private static final class NeedsGeneralWeaver extends RuntimeException {
        NeedsGeneralWeaver() {
            super(null, null, false, false);
        }
    }
}
