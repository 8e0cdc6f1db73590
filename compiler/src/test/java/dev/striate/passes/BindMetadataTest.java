package dev.striate.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.striate.data.Normalization;
import dev.striate.diag.Diagnostic;
import dev.striate.diag.Diagnostics;
import dev.striate.ir.Graph;
import dev.striate.ir.Normalize;
import dev.striate.weights.WeightSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a weights file records besides tensors. Labels: given to a model that declares none,
 * refused (E409) when they differ from declared ones, do not fit the output or are not printable
 * text. A pixel normalization: bound when it has one value or one per input channel (E410 otherwise).
 */
class BindMetadataTest {
    private static final List<String> TEN = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine");

    private record Bound(Graph graph, List<String> diagnostics) {
    }

    private static Bound bind(List<String> declared, List<String> recorded) {
        Graph g = BindWeightsTest.tiny().withLabels(declared);
        WeightSet w = BindWeightsTest.weights("Tiny", Map.of()).withLabels(recorded);
        Diagnostics d = new Diagnostics();
        Graph out = BindWeights.run(g, w, BindWeightsTest.WEIGHTS, d);
        return new Bound(out, d.sorted().stream().map(Diagnostic::format).toList());
    }

    @Test
    void recordedLabelsNameTheClassesOfAModelWithoutLabels() {
        Bound b = bind(List.of(), TEN);
        assertEquals(List.of(), b.diagnostics());
        assertEquals(TEN, b.graph().labels());
    }

    @Test
    void declaredLabelsStayAndEqualRecordedOnesAreFine() {
        Bound b = bind(TEN, TEN);
        assertEquals(List.of(), b.diagnostics());
        assertEquals(TEN, b.graph().labels());
        assertEquals(List.of(), bind(TEN, List.of()).diagnostics());
    }

    @Test
    void labelsInAnotherOrderAreRefused() {
        List<String> reversed = new ArrayList<>(TEN);
        Collections.reverse(reversed);
        assertEquals(List.of("m.weights.json:1:1: error: the weights were trained with the labels [\"nine\", \"eight\","
                + " \"seven\", \"six\", \"five\", \"four\", \"three\", \"two\", \"one\", \"zero\"] but the model declares"
                + " [\"zero\", \"one\", \"two\", \"three\", \"four\", \"five\", \"six\", \"seven\", \"eight\", \"nine\"];"
                + " train again, or declare the labels in the weights' order [E409]"), bind(TEN, reversed).diagnostics());
    }

    @Test
    void aRecordedNormalizationIsBoundWhenItsChannelsFit() {
        WeightSet w = BindWeightsTest.weights("Tiny", Map.of())
                .withNormalization(Normalization.of(new double[] {25.5}, new double[] {51}));
        Diagnostics d = new Diagnostics();
        Graph g = BindWeights.run(BindWeightsTest.tiny(), w, BindWeightsTest.WEIGHTS, d);
        assertEquals(List.of(), d.sorted());
        assertEquals(new Normalize(List.of(25.5f), List.of(51f)), g.pixelNormalization());
        assertEquals(g.pixelNormalization(), g.withWeights(Map.of()).withLabels(List.of()).pixelNormalization(),
                "kept by the graph's copies");
        assertNull(BindWeights.run(BindWeightsTest.tiny(), BindWeightsTest.weights("Tiny", Map.of()),
                BindWeightsTest.WEIGHTS, new Diagnostics()).pixelNormalization());

        WeightSet three = w.withNormalization(Normalization.of(new double[] {1, 2, 3}, new double[] {4, 5, 6}));
        Diagnostics bad = new Diagnostics();
        BindWeights.run(BindWeightsTest.tiny(), three, BindWeightsTest.WEIGHTS, bad);
        assertEquals(List.of("m.weights.json:1:1: error: the weights record a normalization of 3 channels, but the"
                + " input of model Tiny [1, 8, 8] has 1 [E410]"), bad.sorted().stream().map(Diagnostic::format).toList());
    }

    @Test
    void recordedLabelsThatDoNotFitAreRefused() {
        assertEquals(List.of("m.weights.json:1:1: error: the weights file records 2 labels but model Tiny does not have"
                + " one flat output of that size [E409]"), bind(List.of(), List.of("a", "b")).diagnostics());
        List<String> control = new ArrayList<>(TEN);
        control.set(3, "thr\u0007ee");
        Bound b = bind(List.of(), control);
        assertEquals(List.of("m.weights.json:1:1: error: labels of the weights file: the label contains a control"
                + " character (U+0007) at character 4; names and labels must be printable text [E409]"), b.diagnostics());
        assertEquals(List.of(), b.graph().labels());
    }
}
