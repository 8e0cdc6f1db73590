package dev.striate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.striate.Compiler;
import dev.striate.diag.Diagnostics;
import dev.striate.passes.InitWeights;
import dev.striate.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's {@code <ensembles>}: each compiles, with the real compiler, into the ensemble class and its member
 * classes in the first member's package, beside the models compiled on their own; a rebuild leaves unchanged files
 * untouched and the clean-up of deleted models leaves the ensemble's files alone; members that disagree fail the
 * build at the differing member (E512); a malformed configuration is refused before compiling.
 */
class EnsembleGenerationTest {
    private static final String MODEL = """
            model %s {
                input image: [1, %d, 8]
                flatten
                dense(3, activation=softmax)
                labels ["a", "b", "c"]
            }
            """;

    @TempDir
    Path base;
    GenerateMojo mojo;
    RecordingLog log = new RecordingLog();
    Path src;

    @BeforeEach
    void configure() throws IOException {
        mojo = TestMojos.generate(base, new MavenProject(), new FakeCompiler(), log, null);
        mojo.compiler = Compiler::compile;
        src = mojo.sourceDirectory.toPath();
        model("com/acme/a.cnn", 8, 1);
        model("com/acme/b.cnn", 8, 2);
    }

    private Path model(String rel, int height, int seed) throws IOException {
        String name = rel.substring(rel.lastIndexOf('/') + 1).replace(".cnn", "");
        Path file = TestMojos.write(src, rel, MODEL.formatted(Character.toUpperCase(name.charAt(0)) + name.substring(1),
                height));
        WeightsFile.write(file.resolveSibling(file.getFileName().toString().replace(".cnn", ".weights.json")),
                InitWeights.run(Compiler.loadModel(file, null, new Diagnostics()), seed));
        return file;
    }

    private static Ensemble ensemble(String name, List<String> models, List<String> weights) {
        Ensemble e = new Ensemble();
        e.name = name;
        e.models = models;
        e.weights = weights;
        return e;
    }

    @Test
    void anEnsembleIsCompiledBesideItsMembers() throws Exception {
        mojo.ensembles = List.of(ensemble("Committee", List.of("com/acme/a.cnn", "com/acme/b.cnn"), List.of("3", "1")));
        mojo.execute();
        Path out = mojo.outputDirectory.toPath().resolve("com/acme");
        String committee = Files.readString(out.resolve("Committee.java"));
        assertTrue(committee.startsWith("package com.acme;"), committee);
        assertTrue(committee.contains("accumulate(output, memberOutput, 0.75f);"), committee);
        assertTrue(committee.contains("accumulate(output, memberOutput, 0.25f);"), committee);
        assertTrue(Files.exists(out.resolve("CommitteeMember1.java")) && Files.exists(out.resolve("CommitteeMember2.java")));
        assertTrue(Files.exists(mojo.resourceOutputDirectory.toPath().resolve("com/acme/CommitteeMember2.weights")));
        assertTrue(Files.exists(out.resolve("A.java")) && Files.exists(out.resolve("B.java")),
                "the models are compiled on their own too");
        assertTrue(log.at("info").contains("Compiling ensemble Committee"), log.at("info").toString());
        assertTrue(log.at("info").stream().anyMatch(l -> l.startsWith("Striate: 2 models compiled, 0 up to date,"
                + " 1 ensemble compiled in ")), log.at("info").toString());

        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(out.resolve("Committee.java"), old);
        mojo.execute();
        assertEquals(old, Files.getLastModifiedTime(out.resolve("Committee.java")), "unchanged, not rewritten");
        assertTrue(Files.exists(out.resolve("CommitteeMember1.java")), "kept by the clean-up of deleted models");
    }

    @Test
    void membersThatDisagreeFailTheBuildAtTheMember() throws Exception {
        Path tall = model("com/acme/tall.cnn", 9, 3);
        mojo.ensembles = List.of(ensemble("Pair", List.of("com/acme/a.cnn", "com/acme/tall.cnn"), List.of()));
        assertThrows(MojoFailureException.class, () -> mojo.execute());
        List<String> errors = log.at("error");
        assertTrue(errors.stream().anyMatch(e -> e.startsWith(tall + ":2:11: error: model 2 (Tall from tall.cnn)"
                + " reads [1, 9, 8]") && e.contains("[E512]")), errors.toString());
        assertFalse(Files.exists(mojo.outputDirectory.toPath().resolve("com/acme/Pair.java")));
    }

    @Test
    void aMalformedEnsembleIsRefusedBeforeCompiling() {
        mojo.ensembles = List.of(ensemble("Committee", List.of("com/acme/a.cnn"), List.of("x")));
        MojoExecutionException e = assertThrows(MojoExecutionException.class, () -> mojo.execute());
        assertEquals("<ensemble> Committee: <weight> 'x' is not a number", e.getMessage());
        mojo.ensembles = List.of(ensemble("no-dash", List.of("com/acme/a.cnn"), List.of()));
        e = assertThrows(MojoExecutionException.class, () -> mojo.execute());
        assertTrue(e.getMessage().startsWith("<ensemble> <name> 'no-dash' "), e.getMessage());
        mojo.ensembles = List.of(ensemble("Alone", List.of("com/acme/a.cnn"), List.of()));
        assertThrows(MojoFailureException.class, () -> mojo.execute());
        assertTrue(log.at("error").stream().anyMatch(l -> l.contains("an ensemble needs 2 to 64 models, got 1 [E513]")),
                log.at("error").toString());
    }
}
