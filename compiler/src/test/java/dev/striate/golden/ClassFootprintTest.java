package dev.striate.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.striate.Compiler;
import dev.striate.backend.ClassFootprint;
import dev.striate.backend.GenerateOptions;
import dev.striate.backend.JavaBackend;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.passes.Pass;
import dev.striate.passes.PassPipeline;
import dev.striate.testing.CompiledModel;
import dev.striate.testing.InstanceArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Compiler#footprint} (what {@code striate summary} reports, computed without weights)
 * is what an instance of the class compiled with the fixture's real weights holds, measured by
 * reflection on the loaded instance: each activation buffer, the scratch rows, the result and
 * the weights, and no other array.
 */
class ClassFootprintTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.striate.golden.PyTorchGoldenTest#cases")
    void footprintIsWhatAnInstanceHolds(String name) {
        PyTorchFixture fx = PyTorchFixture.load(name);
        Diagnostics diagnostics = new Diagnostics();
        Graph model = Compiler.loadModel(fx.model(), null, diagnostics);
        Graph bound = Compiler.bindWeights(model, fx.weights(), diagnostics);
        Graph optimized = PassPipeline.optimize(bound, Pass.Mode.INFERENCE, null);
        CompiledModel compiled = CompiledModel.compile(JavaBackend.generate(optimized,
                new GenerateOptions("footprint." + name, "Model", false)));
        Map<String, Long> held = InstanceArrays.floatsByField(compiled.invoke(null, "load", new Class<?>[0]));

        ClassFootprint footprint = Compiler.footprint(model);

        List<Long> buffers = new ArrayList<>();
        for (int b = 0; held.containsKey("buf" + b); b++) {
            buffers.add(held.get("buf" + b));
        }
        assertEquals(footprint.bufferFloats().stream().map(Integer::longValue).toList(), buffers, name + ": buffers");
        assertEquals(footprint.rowFloats(), held.getOrDefault("rows", 0L), name + ": rows");
        assertEquals((long) footprint.resultFloats(), held.getOrDefault("result", 0L), name + ": result");
        assertEquals((long) footprint.weightFloats(), held.get("weights"), name + ": weights");
        long perInstance = held.values().stream().mapToLong(Long::longValue).sum() - held.get("weights");
        assertEquals(footprint.perInstanceFloats(), perInstance, name + ": every array of the instance " + held);
    }
}
