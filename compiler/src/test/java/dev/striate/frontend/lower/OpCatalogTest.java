package dev.striate.frontend.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the op catalog and the layer table of {@code docs/language.md} in step: the same
 * layers, and for each the same argument names in the same positional order.
 */
class OpCatalogTest {
    private static final Path DOC = Path.of("../docs/language.md");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    /** Layer name to its documented argument names, from the "Layers" table. */
    private static Map<String, List<String>> documentedLayers() throws IOException {
        Map<String, List<String>> layers = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
            if (line.startsWith("| layer |")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.split("\\|");
            List<String> args = new ArrayList<>();
            Matcher argCode = CODE.matcher(cells[2]);
            if (argCode.find() && cells[2].trim().startsWith("`")) {
                for (String a : argCode.group(1).split(",")) {
                    args.add(a.trim().split("=")[0]);
                }
            }
            Matcher names = CODE.matcher(cells[1]);
            while (names.find()) {
                layers.put(names.group(1), args);
            }
        }
        return layers;
    }

    @Test
    void catalogHasExactlyTheDocumentedLayers() throws IOException {
        Map<String, List<String>> doc = documentedLayers();
        assertTrue(doc.size() > 20, "parsed only " + doc.keySet());
        assertEquals(doc.keySet().stream().sorted().toList(), OpCatalog.names().stream().sorted().toList());
    }

    @Test
    void argumentsAreTheDocumentedOnesInOrder() throws IOException {
        for (Map.Entry<String, List<String>> e : documentedLayers().entrySet()) {
            OpSignature sig = OpCatalog.find(e.getKey()).orElseThrow();
            assertEquals(e.getValue(), sig.params().stream().map(Param::name).toList(), e.getKey());
        }
    }

    @Test
    void activationsAreTheOnesActivationAccepts() {
        assertEquals(List.of("elu", "leaky_relu", "linear", "relu", "sigmoid", "softmax", "tanh"),
                OpCatalog.activationNames().stream().sorted().toList());
    }
}
