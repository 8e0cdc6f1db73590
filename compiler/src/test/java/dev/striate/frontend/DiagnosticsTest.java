package dev.striate.frontend;

import static dev.striate.frontend.Lowered.errors;
import static dev.striate.frontend.Lowered.model;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One test per diagnostic code the front end reports, with its exact message and position
 * ({@code model(...)} puts statements from line 3, column 5, after {@code input x: [1, 28, 28]}).
 */
class DiagnosticsTest {

    @Test
    void syntaxErrorsAreFriendlyAndAllReported() {
        assertEquals(List.of(
                "m.cnn:3:24: error: expected ',' or ')' [E001]",
                "m.cnn:4:14: error: unexpected character '$' [E001]",
                "m.cnn:5:9: error: unexpected '=', expected a name [E001]"),
                errors(model("conv2d(32, kernel=3", "maxpool(2$)", "y = = relu")));
    }

    @Test
    void onlyTheFirstSyntaxErrorOfALineIsReported() {
        assertEquals(List.of("m.cnn:3:24: error: unexpected ',': a value is missing before it [E001]",
                "m.cnn:4:20: error: unterminated string: a string ends with '\"' on the same line [E001]"),
                errors(model("conv2d(8, kernel=3,, stride=1) $", "dense(10, name=\"d)")));
    }

    @Test
    void anUnclosedCommentIsReportedOnce() {
        assertEquals(List.of("m.cnn:3:5: error: unclosed comment: '/*' has no matching '*/' [E001]"),
                errors(model("/* dense(10)", "relu")));
    }

    @Test
    void unknownOpSuggestsTheNearestName() {
        assertEquals(List.of("m.cnn:4:5: error: unknown layer 'dens'; did you mean 'dense'? [E101]",
                "m.cnn:5:5: error: unknown layer 'frobnicate' [E101]"),
                errors(model("flatten", "dens(10)").replace("dens(10)", "dens(10)\n    frobnicate")));
    }

    @Test
    void unknownArgument() {
        assertEquals(List.of("m.cnn:3:16: error: maxpool has no argument 'strides'; did you mean 'stride'? [E102]",
                "m.cnn:4:13: error: dropout has no argument 'p'; it takes dropout(rate) [E102]"),
                errors(model("maxpool(2, strides=2)", "dropout(p=0.1)")));
    }

    @Test
    void duplicateArgument() {
        assertEquals(List.of("m.cnn:3:18: error: argument 'filters' is given twice (first at 3:12) [E103]",
                "m.cnn:4:23: error: argument 'name' is given twice (first at 4:13) [E103]"),
                errors(model("conv2d(8, 3, filters=4)", "dropout(name=\"a\", name=\"b\")")));
    }

    @Test
    void missingArgument() {
        assertEquals(List.of("m.cnn:3:5: error: maxpool needs argument 'size': maxpool(size, stride, padding) [E104]"),
                errors(model("maxpool(stride=2)")));
    }

    @Test
    void tooManyPositionalArguments() {
        assertEquals(List.of("m.cnn:3:18: error: dropout takes at most 1 argument: dropout(rate) [E107]",
                "m.cnn:4:10: error: relu takes no arguments: relu() [E107]"),
                errors(model("dropout(0.1, 0.2, 0.3)", "relu(0.5)")));
    }

    @Test
    void wrongType() {
        assertEquals(List.of(
                "m.cnn:3:22: error: conv2d argument 'kernel' must be an integer or [height, width], "
                        + "got the string \"3\" [E105]",
                "m.cnn:4:12: error: conv2d argument 'filters' must be an integer, got the number 2.5 [E105]",
                "m.cnn:5:24: error: maxpool argument 'padding' must be an integer, [vertical, horizontal], "
                        + "[top, bottom, left, right], valid or same, got the name 'full' [E105]",
                "m.cnn:6:29: error: conv2d argument 'activation' must be an activation (relu, leaky_relu, elu, "
                        + "sigmoid, tanh, softmax, linear), got the integer 1 [E105]"),
                errors(model("conv2d(2, kernel=\"3\")", "conv2d(2.5, 3)", "maxpool(2, padding=full)",
                        "conv2d(1, 1, activation=1)")));
    }

    @Test
    void badValues() {
        assertEquals(List.of(
                "m.cnn:3:12: error: conv2d argument 'filters' must be positive, got 0 [E106]",
                "m.cnn:4:13: error: dropout argument 'rate' must be in [0, 1), got -0.1 [E106]",
                "m.cnn:5:24: error: maxpool argument 'padding' must not be negative, got -1 [E106]",
                "m.cnn:6:18: error: normalize argument 'std' must not be zero, got 0.0 [E106]",
                "m.cnn:7:29: error: conv2d argument 'activation': unknown activation 'gelu'; did you mean 'elu'? (one of relu, sigmoid, "
                        + "tanh, softmax, linear, leaky_relu, elu) [E106]"),
                errors(model("conv2d(0, 3)", "dropout(-0.1)", "maxpool(2, padding=[0, -1])",
                        "normalize(0, [1, 0, 1])", "conv2d(1, 1, activation=gelu)")));
    }

    @Test
    void divisionByZero() {
        assertEquals(List.of("m.cnn:3:15: error: division by zero in 1/0 [E106]"), errors(model("rescale(1/0)")));
    }

    @Test
    void unknownNameSuggestsADefinedOne() {
        assertEquals(List.of("m.cnn:4:13: error: unknown name 'stme'; did you mean 'stem'? [E201]"),
                errors(model("stem = relu(x)", "y = add(stme, x)")));
    }

    @Test
    void aNameAssignedTwiceCannotBeReadBeforeItsFirstDefinition() {
        assertEquals(List.of("m.cnn:3:13: error: 'h' is used before it is defined; it is assigned 2 times "
                + "(first at line 4), so it is read in source order [E201]"),
                errors(model("y = add(h, x)", "h = relu(x)", "h = tanh(h)", "output y")));
    }

    @Test
    void duplicateLayerNames() {
        assertEquals(List.of(
                "m.cnn:4:15: error: layer name 'a' is already used at line 3; weights are keyed by layer name [E202]",
                "m.cnn:6:5: error: layer name 'relu_1' is already used at line 5; weights are keyed by layer name "
                        + "[E202]",
                "m.cnn:7:18: error: layer name 'x' is already used at line 2; weights are keyed by layer name [E202]"),
                errors(model("relu(name=\"a\")", "tanh(name=\"a\")", "relu(name=\"relu_1\")", "relu",
                        "sigmoid(name=\"x\")")));
    }

    @Test
    void cycles() {
        assertEquals(List.of("m.cnn:3:9: error: cycle: a (add_1) -> b (tanh_1) -> a (add_1); a value cannot "
                + "depend on itself [E203]"),
                errors(model("a = add(x, b)", "b = tanh(a)", "output b")));
    }

    @Test
    void unusedInputIsAnErrorAndUnusedValueAWarning() {
        assertEquals(List.of("m.cnn:3:11: error: input 'y' is never used [E204]"),
                errors(model("input y: [3]", "z = relu(x)", "output z")));
        assertEquals(List.of("m.cnn:3:9: warning: value 'a' (relu_1) is never used [E206]",
                "m.cnn:4:5: warning: the result of tanh_1 is never used [E206]"),
                Lowered.warnings(model("a = relu(x)", "tanh(x)", "sigmoid(x)")));
    }

    @Test
    void noInput() {
        assertEquals(List.of("m.cnn:1:7: error: model 'E' has no input; declare one first, e.g. "
                + "'input image: [1, 28, 28]' [E205]"), errors("model E {}"));
    }

    @Test
    void aLayerWithNothingBeforeIt() {
        assertEquals(List.of("m.cnn:1:11: error: relu has no input: no value comes before it; declare the input "
                + "first or name one, e.g. relu(x, ...) [E208]"), errors("model E { relu input x: [1] output x }"));
    }

    @Test
    void wrongNumberOfInputs() {
        assertEquals(List.of("m.cnn:3:9: error: dense reads one input, got 2 [E208]",
                "m.cnn:4:5: error: add needs two or more inputs, got 1; name them, e.g. add(a, b) [E208]"),
                errors(model("a = dense(x, x, 3)", "add")));
    }

    @Test
    void duplicateModelAndTrainBlocks() {
        assertEquals(List.of("m.cnn:2:7: error: model 'A' is already defined at line 1 [E207]",
                "m.cnn:4:7: error: model 'A' already has a train block at line 3 [E207]"),
                errors("model A { input a: [1] }\nmodel A { input a: [1] }\ntrain A {}\ntrain A {}"));
    }

    @Test
    void trainBlockForAnUnknownModel() {
        assertEquals(List.of("m.cnn:2:7: error: train block for unknown model 'Seedcnn'; did you mean 'SeedCnn'? "
                + "[E502]"), errors("model SeedCnn { input a: [1] }\ntrain Seedcnn { epochs = 1 }"));
    }

    @Test
    void choosingAModel() {
        String two = "model A { input a: [2] }\nmodel B { input b: [2] }";
        assertEquals(List.of("m.cnn:1:1: error: the file defines 2 models (A, B); choose one [E501]"), errors(two));
        assertEquals(List.of("m.cnn:1:1: error: no model named 'C' in the file (models: A, B) [E502]"),
                errors(two, "C"));
        assertEquals(List.of("m.cnn:1:1: error: no model named 'b' in the file; did you mean 'B'? (models: A, B) "
                + "[E502]"), errors(two, "b"));
        assertEquals(List.of("m.cnn:1:1: error: the file defines no model [E501]"), errors("// empty"));
        assertEquals("[2]", Lowered.graph(two, "B").node("b").shape().toString());
    }

    @Test
    void padTakesExplicitAmountsOfAMap() {
        assertEquals(List.of(
                "m.cnn:3:16: error: pad argument 'padding' must not be negative, got -1 [E106]",
                "m.cnn:4:24: error: pad argument 'padding' must be an integer, [vertical, horizontal] or "
                        + "[top, bottom, left, right], got the name 'same' [E105]",
                "m.cnn:5:16: error: pad argument 'padding' must be an integer, [vertical, horizontal] or "
                        + "[top, bottom, left, right], got a list of 3 [E105]",
                "m.cnn:6:16: error: pad argument 'padding' must not be negative, got -2 [E106]",
                "m.cnn:7:9: error: pad needs argument 'padding': pad(padding) [E104]"),
                errors(model("p = pad(x, -1)", "q = pad(x, padding=same)", "r = pad(x, [1, 2, 3])",
                        "s = pad(x, [0, -2, 1, 1])", "t = pad(x)", "output p, q, r, s, t")));
        assertEquals(List.of("m.cnn:3:23: error: pad expects a [channels, height, width] input, got [784] "
                + "(a flat vector) (layer pad_1) [E304]"),
                errors(model("f = flatten(x) -> pad(1)")));
    }

    @Test
    void shapeErrorsNameTheLayer() {
        assertEquals(List.of(
                "m.cnn:3:9: error: conv2d: the window spans 29 rows but the padded input has only 28 (layer conv2d_1) "
                        + "[E302]",
                "m.cnn:5:9: error: dense expects a flat input, got [1, 28, 28]; add 'flatten' before it (layer dense_2)"
                        + " [E304]",
                "m.cnn:6:9: error: maxout: 1 channels cannot be split into groups of 2 (layer maxout_1) [E305]"),
                errors(model("a = conv2d(x, 2, 29) -> relu", "b = dense(a, 3)", "c = dense(x, 3)", "d = maxout(x, 2)",
                        "output b, c, d")));
    }

    @Test
    void labelsMustMatchTheOutputSize() {
        assertEquals(List.of("m.cnn:4:5: error: 1 label for an output of size 2 [E306]"),
                errors(model("flatten -> dense(2)", "labels [\"one\"]")));
        assertEquals(List.of("m.cnn:3:5: error: labels need a flat output (one score per class), got [1, 28, 28] "
                + "[E306]"), errors(model("labels [\"a\"]")));
    }
}
