package dev.striate.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A tiny image-folder data set for end-to-end tests: 8x8 gray PNGs of one bright horizontal or
 * vertical bar on a noisy background, in {@code train/} (48 per class) and {@code test/} (16),
 * with class folders {@code horizontal} and {@code vertical}; and a way to load the class
 * {@code striate compile --single-file} wrote.
 */
final class BarImages {
    private static final String MODEL = """
            model Bars {
                input image: [1, 8, 8]
            %s    conv2d(4, kernel=3, padding=1, activation=relu)
                maxpool(2)
                flatten
                dense(2, activation=softmax)
            %s}

            train Bars {
                loss = crossentropy
                optimizer = sgd(lr=0.05, momentum=0.9)
                batch = 16
                epochs = 6
                seed = 7
            %s}
            """;

    private BarImages() {
    }

    /**
     * The source of model {@code Bars} (8x8 gray in, two classes out, softmax) with a train block
     * that learns the bars in 6 epochs: with {@code rescale(1/255)} first when {@code rescale},
     * the {@code labels} list when not null, and {@code normalize = ...} when not null.
     */
    static String model(boolean rescale, String labels, String normalize) {
        return MODEL.formatted(rescale ? "    rescale(1/255)\n" : "",
                labels == null ? "" : "    labels " + labels + "\n",
                normalize == null ? "" : "    normalize = " + normalize + "\n");
    }

    /** Writes {@link #model} to {@code dir/NAME.cnn} and returns that path. */
    static Path modelFile(Path dir, String name, boolean rescale, String labels, String normalize) throws IOException {
        return Files.writeString(dir.resolve(name + ".cnn"), model(rescale, labels, normalize));
    }

    /** Runs {@code striate train} quietly on one thread, replacing {@code out}. */
    static Cli.Run train(Path model, Path data, Path out) {
        return Cli.run("train", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--progress", "summary", "--threads", "1", "--force");
    }

    /** Writes the data set under {@code images}. */
    static void write(Path images) throws IOException {
        Random r = new Random(1);
        for (String split : new String[] {"train", "test"}) {
            for (String cls : new String[] {"horizontal", "vertical"}) {
                Path classDir = Files.createDirectories(images.resolve(split).resolve(cls));
                for (int i = 0; i < (split.equals("train") ? 48 : 16); i++) {
                    ImageIO.write(bar(cls.equals("vertical"), r.nextInt(8), r), "png",
                            classDir.resolve(i + ".png").toFile());
                }
            }
        }
    }

    /** One bar image; {@code at} is the bar's row or column. */
    static BufferedImage bar(boolean vertical, int at, Random r) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                boolean on = vertical ? x == at : y == at;
                img.getRaster().setSample(x, y, 0, on ? 220 : 20 + r.nextInt(30));
            }
        }
        return img;
    }

    /** The pixel values {@code 0..255} of a gray image, row by row. */
    static float[] pixels(BufferedImage img) {
        float[] p = new float[img.getWidth() * img.getHeight()];
        for (int i = 0; i < p.length; i++) {
            p[i] = img.getRaster().getSample(i % img.getWidth(), i / img.getWidth(), 0);
        }
        return p;
    }

    /** Compiles {@code gen/NAME.java} (a single-file class) into {@code classes} and loads it. */
    static Class<?> load(Path gen, String name, Path classes) throws Exception {
        dev.striate.cli.demo.JavaSourceCompiler.compile(List.of(gen.resolve(name + ".java")), classes);
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, null).loadClass(name);
    }
}
