package dev.striate.importer.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.striate.importer.onnx.Translator.Value;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The ONNX operators that move data without computing on it, translated to Striate layers (or to aliases of their
 * input): {@code Flatten}, {@code Reshape} and {@code Squeeze} as flattens, {@code Pad} with zeros, and
 * {@code DepthToSpace} as pixel_shuffle.
 */
final class ShapeOps extends NodeOps {
    ShapeOps(Translator t) {
        super(t);
    }

    /** Squeeze of size-1 axes (not the batch): the data keeps its order, so it is a flatten. */
    void squeeze(NodeProto n) {
        Value x = in(n, 0);
        int rank = x.onnx().length + 1;
        long[] axes = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? weight(n, 1).longs()
                : Attributes.integers(n, "axes", new long[0]);
        boolean[] removed = new boolean[rank];
        for (long a : axes) {
            long axis = a < 0 ? a + rank : a;
            if (axis < 1 || axis >= rank || x.onnx()[(int) axis - 1] != 1) {
                throw t.form(n, "squeezes axis " + a + " of " + Arrays.toString(x.onnx()) + "; Striate squeezes axes of "
                        + "size 1 other than the batch");
            }
            removed[(int) axis] = true;
        }
        if (axes.length == 0) {
            throw t.form(n, "squeezes every axis of size 1, which may include the batch; give its axes");
        }
        int[] onnx = IntStream.range(1, rank).filter(i -> !removed[i]).map(i -> x.onnx()[i - 1]).toArray();
        if (x.isMap()) {
            int size = Arrays.stream(x.onnx()).reduce(1, (a, b) -> a * b);
            emit(n, "flatten", List.of(x), onnx, new int[] {size});
        } else {
            alias(n, new Value(x.id(), onnx, x.shape()));
        }
    }

    void flatten(NodeProto n, int axis) {
        Value x = in(n, 0);
        if (axis != 1) {
            throw t.form(n, "flattens from axis " + axis + "; Striate flattens everything but the batch (axis 1)");
        }
        int size = 1;
        for (int d : x.onnx()) {
            size *= d;
        }
        if (x.isMap()) {
            emit(n, "flatten", List.of(x), new int[] {size}, new int[] {size});
        } else {
            alias(n, new Value(x.id(), new int[] {size}, x.shape()));
        }
    }

    void reshape(NodeProto n) {
        Value x = in(n, 0);
        Const shape = weight(n, 1);
        int size = 1;
        for (int d : x.onnx()) {
            size *= d;
        }
        if (shape != null && shape.rank() == 1 && shape.size() == 2) {
            boolean batch = shape.isBatch(0) || shape.longAt(0) == 0 || (t.fixedBatchOne && shape.longAt(0) == 1)
                    || (shape.longAt(0) == -1 && shape.longAt(1) == size);
            boolean rest = !shape.isBatch(1) && (shape.longAt(1) == -1 || shape.longAt(1) == size);
            if (batch && rest) {
                flatten(n, 1);
                return;
            }
        }
        throw t.form(n, "reshapes " + Arrays.toString(x.onnx()) + " to " + (shape == null ? "?"
                : Arrays.toString(shape.values()).replace("NaN", "batch"))
                + "; Striate imports only the flattening [batch, -1]");
    }

    void pad(NodeProto n) {
        Value x = in(n, 0);
        if (!Attributes.text(n, "mode", "constant").equals("constant")) {
            throw t.form(n, "pads in mode '" + Attributes.text(n, "mode", "") + "'; Striate pads with zeros (constant)");
        }
        long[] pads;
        double value;
        if (t.file.opset < 11) {
            pads = Attributes.integers(n, "pads", new long[0]);
            value = Attributes.real(n, "value", 0f);
        } else {
            Const p = weight(n, 1);
            Const v = weight(n, 2);
            Const axes = weight(n, 3); // opset 18: pads for these axes only
            pads = p == null ? new long[0] : p.longs();
            value = v == null ? 0 : v.values()[0];
            long[] given = pads;
            if (axes != null && (pads = Window.padsOfAllAxes(given, axes.longs(), x.onnx().length + 1)) == null) {
                throw t.form(n, "pads axes " + Arrays.toString(axes.longs()) + " with " + given.length + " amounts; "
                        + "the axes must be distinct axes of the input, with a begin and an end each");
            }
        }
        int rank = x.onnx().length + 1;
        if (pads.length != 2 * rank || value != 0) {
            throw t.form(n, "is not a zero padding with one begin and end per axis");
        }
        for (int i = 0; i < pads.length; i++) {
            boolean spatial = rank == 4 && i % rank >= 2;
            if (pads[i] < 0 || (!spatial && pads[i] != 0)) {
                throw t.form(n, "pads " + Arrays.toString(pads) + "; Striate pads height and width by "
                        + "non-negative amounts only");
            }
        }
        if (Arrays.stream(pads).allMatch(p -> p == 0)) {
            alias(n, x);
            return;
        }
        int top = (int) pads[2];
        int left = (int) pads[3];
        int bottom = (int) pads[6];
        int right = (int) pads[7];
        int[] shape = {x.shape()[0], x.shape()[1] + top + bottom, x.shape()[2] + left + right};
        emit(n, "pad(" + Window.sides(top, bottom, left, right) + ")", List.of(map(n, x)), shape, shape);
    }

    void depthToSpace(NodeProto n) {
        Value x = map(n, in(n, 0));
        int r = (int) Attributes.integer(n, "blocksize", 0);
        String mode = Attributes.text(n, "mode", "DCR");
        if (!mode.equals("CRD")) {
            throw t.form(n, "uses mode " + mode + "; Striate's pixel_shuffle is DepthToSpace in CRD mode (PyTorch's "
                    + "PixelShuffle)");
        }
        if (r <= 0 || r > x.shape()[0] || x.shape()[0] % (r * r) != 0) {
            throw t.form(n, "has blocksize " + r + " for " + x.shape()[0] + " channels");
        }
        int[] shape = {x.shape()[0] / (r * r), x.shape()[1] * r, x.shape()[2] * r};
        emit(n, "pixel_shuffle(" + r + ")", List.of(x), shape, shape);
    }
}
