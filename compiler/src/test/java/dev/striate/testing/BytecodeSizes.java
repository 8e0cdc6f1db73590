package dev.striate.testing;

import java.util.Map;
import java.util.TreeMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Measures compiled classes with ASM: the bytecode length of every method (including static
 * initializers) and the constant-pool size of every class. A method's length is the offset of a
 * label placed after its last instruction when ASM re-encodes the class.
 */
public final class BytecodeSizes {
    /** HotSpot does not JIT-compile methods longer than this ({@code -XX:HugeMethodLimit}). */
    public static final int HUGE_METHOD_LIMIT = 8000;

    private BytecodeSizes() {
    }

    /** {@code Class.method(descriptor)} -> bytecode length, for every method with code. */
    public static Map<String, Integer> methodSizes(Map<String, byte[]> classFiles) {
        Map<String, Integer> sizes = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : classFiles.entrySet()) {
            String owner = e.getKey();
            ClassWriter writer = new ClassWriter(0);
            new ClassReader(e.getValue()).accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                    return new MethodVisitor(Opcodes.ASM9, next) {
                        private final Label end = new Label();
                        private boolean hasCode;

                        @Override
                        public void visitCode() {
                            hasCode = true;
                            super.visitCode();
                        }

                        @Override
                        public void visitMaxs(int maxStack, int maxLocals) {
                            super.visitLabel(end);
                            super.visitMaxs(maxStack, maxLocals);
                        }

                        @Override
                        public void visitEnd() {
                            super.visitEnd();
                            if (hasCode) {
                                sizes.put(owner + "." + name + descriptor, end.getOffset());
                            }
                        }
                    };
                }
            }, 0);
        }
        return sizes;
    }

    /** Class binary name -> number of constant-pool entries. */
    public static Map<String, Integer> constantPoolCounts(Map<String, byte[]> classFiles) {
        Map<String, Integer> counts = new TreeMap<>();
        classFiles.forEach((name, bytes) -> counts.put(name, new ClassReader(bytes).getItemCount()));
        return counts;
    }
}
