package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.nio.charset.StandardCharsets;

/** Typed reads of an ONNX node's attributes, with the operator's defaults. */
final class Attributes {
    private Attributes() {
    }

    static AttributeProto find(NodeProto node, String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    static boolean has(NodeProto node, String name) {
        return find(node, name) != null;
    }

    static long integer(NodeProto node, String name, long fallback) {
        AttributeProto a = find(node, name);
        return a == null ? fallback : a.getI();
    }

    static float real(NodeProto node, String name, float fallback) {
        AttributeProto a = find(node, name);
        return a == null ? fallback : a.getF();
    }

    static String text(NodeProto node, String name, String fallback) {
        AttributeProto a = find(node, name);
        return a == null ? fallback : a.getS().toString(StandardCharsets.UTF_8);
    }

    /** An integer list attribute, or {@code fallback} when absent. */
    static long[] integers(NodeProto node, String name, long[] fallback) {
        AttributeProto a = find(node, name);
        if (a == null) {
            return fallback;
        }
        long[] out = new long[a.getIntsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.getInts(i);
        }
        return out;
    }
}
