package dev.striate.maven;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code <ensemble>} of the plugin's {@code <ensembles>}: a class averaging the outputs of several
 * models of the source directory (docs/serving.md, "Ensembles"), as {@code striate compile --ensemble} does.
 *
 * <pre>{@code
 * <ensembles>
 *   <ensemble>
 *     <name>Committee</name>
 *     <models><model>digits/a.cnn</model><model>digits/b.cnn</model></models>
 *     <weights><weight>0.6</weight><weight>0.4</weight></weights>   <!-- optional -->
 *   </ensemble>
 * </ensembles>
 * }</pre>
 */
public class Ensemble {
    /** The ensemble class's simple name; its members become {@code <name>Member1}, ... */
    String name;

    /** The members' model files, relative to the source directory, in order (weights beside each). */
    List<String> models = new ArrayList<>();

    /** Each member's weight in the average, in order (normalized to sum to 1); none for equal weights. */
    List<String> weights = new ArrayList<>();

    /** The ensemble's class name. */
    public String getName() {
        return name;
    }
}
