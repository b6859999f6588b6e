package io.headcount.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves the route hook into Jersey's resource method invoker with plain ASM: its
 * {@code apply(RequestProcessingContext)} first calls {@code JerseyRoutes.matched(context)}, which
 * runs once a request has been matched and before the resource method is invoked (so that a method
 * that throws still counts under its route). The call is all that is added: no branch, no new
 * method, so the same weaving serves a class being retransformed on attach, and no stack map frame
 * changes. {@code matched} never throws; the agent links against no Jersey class.
 *
 * <p>This was Byte Buddy advice, which loaded several hundred Byte Buddy classes while a Jersey app
 * started.
 */
final class JerseyHookWeaver {
    static final String HOOK_OWNER = "io/headcount/agent/bootstrap/JerseyRoutes";
    static final String HOOK_NAME = "matched";
    private static final String HOOK_DESCRIPTOR = "(Ljava/lang/Object;)V";

    private JerseyHookWeaver() {
    }

    /** @return the woven class file, or null when the class has no {@code apply} method to hook */
    static byte[] weave(byte[] classfile) {
        ClassReader reader = new ClassReader(classfile);
        ClassWriter writer = new ClassWriter(reader, 0);
        Hooking hooking = new Hooking(writer);
        reader.accept(hooking, 0);
        return hooking.woven ? writer.toByteArray() : null;
    }

    /** The invoker's {@code apply}: one object argument, on an instance, with a body; not the generic bridge. */
    static boolean isHooked(int access, String name, String descriptor) {
        if (!name.equals("apply") || (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE
                | Opcodes.ACC_BRIDGE)) != 0) {
            return false;
        }
        Type[] arguments = Type.getArgumentTypes(descriptor);
        return arguments.length == 1 && arguments[0].getSort() == Type.OBJECT;
    }

    private static final class Hooking extends ClassVisitor {
        boolean woven;

        Hooking(ClassVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
            if (!isHooked(access, name, descriptor)) {
                return method;
            }
            woven = true;
            return new MethodVisitor(Opcodes.ASM9, method) {
                @Override
                public void visitCode() {
                    super.visitCode();
                    super.visitVarInsn(Opcodes.ALOAD, 1);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK_OWNER, HOOK_NAME, HOOK_DESCRIPTOR, false);
                }

                @Override
                public void visitMaxs(int maxStack, int maxLocals) {
                    super.visitMaxs(Math.max(maxStack, 1), maxLocals);
                }
            };
        }
    }
}
