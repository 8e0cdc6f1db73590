package dev.striate.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The code of every method of a class as text, in declaration order, with what may legitimately
 * differ between two classes generated from the same model under other names taken out: the
 * class's package, the names of its own methods (numbered by declaration order) and the text of
 * string constants, and line numbers (a longer method name may wrap a signature onto two lines).
 * Two classes whose listings are equal run the same instructions, statement by statement: no
 * statement, method or class more or less.
 */
public final class NormalizedBytecode {
    private NormalizedBytecode() {
    }

    /** One entry per method: its position, descriptor, access flags and instructions. */
    public static List<String> of(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        String self = reader.getClassName();
        String pkg = self.contains("/") ? self.substring(0, self.lastIndexOf('/') + 1) : "";
        Map<String, String> ownMethods = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                ownMethods.putIfAbsent(name, "m" + ownMethods.size());
                return null;
            }
        }, ClassReader.SKIP_CODE);
        List<String> out = new ArrayList<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                StringBuilder sb = new StringBuilder(ownMethods.get(name) + " " + access + " " + strip(desc, pkg) + "\n");
                out.add(null);
                int index = out.size() - 1;
                Map<Label, Integer> labels = new HashMap<>();
                return new MethodVisitor(Opcodes.ASM9) {
                    private String label(Label l) {
                        return "L" + labels.computeIfAbsent(l, k -> labels.size());
                    }

                    private String owner(String owner, String member) {
                        String o = strip(owner, pkg);
                        return o + "." + (owner.equals(self) && ownMethods.containsKey(member) ? ownMethods.get(member) : member);
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        sb.append(opcode).append('\n');
                    }

                    @Override
                    public void visitIntInsn(int opcode, int operand) {
                        sb.append(opcode).append(' ').append(operand).append('\n');
                    }

                    @Override
                    public void visitVarInsn(int opcode, int var) {
                        sb.append(opcode).append(" v").append(var).append('\n');
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        sb.append(opcode).append(' ').append(strip(type, pkg)).append('\n');
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
                        sb.append(opcode).append(' ').append(strip(owner, pkg)).append('.').append(name).append(' ')
                                .append(strip(desc, pkg)).append('\n');
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
                        sb.append(opcode).append(' ').append(owner(owner, name)).append(' ').append(strip(desc, pkg))
                                .append('\n');
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
                        sb.append("indy ").append(name).append(' ').append(strip(desc, pkg)).append('\n');
                    }

                    @Override
                    public void visitJumpInsn(int opcode, Label l) {
                        sb.append(opcode).append(' ').append(label(l)).append('\n');
                    }

                    @Override
                    public void visitLabel(Label l) {
                        sb.append(label(l)).append(":\n");
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        sb.append("ldc ").append(value instanceof String ? "<string>" : strip(value.toString(), pkg)).append('\n');
                    }

                    @Override
                    public void visitIincInsn(int var, int increment) {
                        sb.append("iinc v").append(var).append(' ').append(increment).append('\n');
                    }

                    @Override
                    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... ls) {
                        sb.append("tableswitch ").append(min).append(' ').append(max).append(' ').append(label(dflt));
                        for (Label l : ls) {
                            sb.append(' ').append(label(l));
                        }
                        sb.append('\n');
                    }

                    @Override
                    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] ls) {
                        sb.append("lookupswitch ").append(label(dflt));
                        for (int i = 0; i < keys.length; i++) {
                            sb.append(' ').append(keys[i]).append(':').append(label(ls[i]));
                        }
                        sb.append('\n');
                    }

                    @Override
                    public void visitMultiANewArrayInsn(String desc, int dims) {
                        sb.append("multianewarray ").append(strip(desc, pkg)).append(' ').append(dims).append('\n');
                    }

                    @Override
                    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                        sb.append("try ").append(label(start)).append(' ').append(label(end)).append(' ')
                                .append(label(handler)).append(' ').append(type == null ? "" : strip(type, pkg)).append('\n');
                    }

                    @Override
                    public void visitLineNumber(int line, Label start) {
                        // Where a statement starts, not on which line: a long method name may wrap a signature.
                        sb.append("line ").append(label(start)).append('\n');
                    }

                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        sb.append("maxs ").append(maxStack).append(' ').append(maxLocals).append('\n');
                    }

                    @Override
                    public void visitEnd() {
                        out.set(index, sb.toString());
                    }
                };
            }
        }, 0);
        return out;
    }

    private static String strip(String text, String pkg) {
        return pkg.isEmpty() ? text : text.replace(pkg, "");
    }
}
