package io.headcount.agent.instrument;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The names a class file declares as its super class and interfaces, read straight from the
 * bytes: far cheaper than a Byte Buddy type description, which is why every loaded class can be
 * asked whether it is a servlet or a filter.
 */
final class ClassHeader {
    private static final int ACC_INTERFACE = 0x0200;

    final boolean isInterface;
    final String superName;
    final List<String> interfaceNames;
    /** Names of the methods the class itself declares. */
    final List<String> methodNames;

    private ClassHeader(boolean isInterface, String superName, List<String> interfaceNames, List<String> methodNames) {
        this.isInterface = isInterface;
        this.superName = superName;
        this.interfaceNames = interfaceNames;
        this.methodNames = methodNames;
    }

    /** @return the header, or null when the bytes are not a class file this parser understands */
    static ClassHeader parse(byte[] bytes) {
        try {
            return read(bytes);
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private static ClassHeader read(byte[] b) {
        if (b.length < 10 || u4(b, 0) != 0xCAFEBABE) {
            return null;
        }
        int count = u2(b, 8);
        int[] offsets = new int[count];
        int position = 10;
        for (int i = 1; i < count; i++) {
            offsets[i] = position;
            int tag = b[position] & 0xFF;
            switch (tag) {
                case 1: // Utf8
                    position += 3 + u2(b, position + 1);
                    break;
                case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package
                    position += 3;
                    break;
                case 15: // MethodHandle
                    position += 4;
                    break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                    position += 5;
                    break;
                case 5: case 6: // Long, Double take two entries
                    position += 9;
                    i++;
                    break;
                default:
                    return null;
            }
        }
        boolean isInterface = (u2(b, position) & ACC_INTERFACE) != 0;
        position += 2;
        position += 2; // this class
        int superIndex = u2(b, position);
        position += 2;
        String superName = superIndex == 0 ? null : className(b, offsets, superIndex);
        int interfaceCount = u2(b, position);
        position += 2;
        List<String> interfaces = interfaceCount == 0 ? Collections.<String>emptyList() : new ArrayList<>(interfaceCount);
        for (int i = 0; i < interfaceCount; i++) {
            interfaces.add(className(b, offsets, u2(b, position)));
            position += 2;
        }
        position = skipMembers(b, position); // fields
        int methodCount = u2(b, position);
        position += 2;
        List<String> methods = new ArrayList<>(methodCount);
        for (int i = 0; i < methodCount; i++) {
            methods.add(utf8(b, offsets[u2(b, position + 2)]));
            position = skipAttributes(b, position + 6);
        }
        return new ClassHeader(isInterface, superName, interfaces, methods);
    }

    private static int skipMembers(byte[] b, int position) {
        int count = u2(b, position);
        position += 2;
        for (int i = 0; i < count; i++) {
            position = skipAttributes(b, position + 6);
        }
        return position;
    }

    /** @param position where a member's or class's attribute count stands */
    private static int skipAttributes(byte[] b, int position) {
        int count = u2(b, position);
        position += 2;
        for (int i = 0; i < count; i++) {
            position += 6 + u4(b, position + 2);
        }
        return position;
    }

    private static String className(byte[] b, int[] offsets, int classIndex) {
        return utf8(b, offsets[u2(b, offsets[classIndex] + 1)]);
    }

    private static String utf8(byte[] b, int at) {
        int length = u2(b, at + 1);
        try {
            // Names are stored in modified UTF-8, which is what readUTF decodes.
            return new DataInputStream(new ByteArrayInputStream(b, at + 1, length + 2)).readUTF();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int u4(byte[] b, int at) {
        return (u2(b, at) << 16) | u2(b, at + 2);
    }
}
