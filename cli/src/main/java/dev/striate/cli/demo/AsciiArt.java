package dev.striate.cli.demo;

import java.util.List;

/**
 * Renders single-channel maps as text, two characters per pixel so that the picture keeps its
 * aspect ratio in a terminal, several maps side by side under their titles.
 */
public final class AsciiArt {
    /** Darkest to brightest. */
    static final String RAMP = " .:-=+*#%@";

    private AsciiArt() {
    }

    /** One map to show: a title and row-major values, scaled so that the largest is brightest. */
    public record Panel(String title, float[] values) {
    }

    /** The maps side by side, three spaces apart, each line ending in {@code \n}. */
    public static String render(int height, int width, List<Panel> panels) {
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < panels.size(); p++) {
            String title = panels.get(p).title();
            sb.append(p == panels.size() - 1 ? title : pad(title, 2 * width)).append(p < panels.size() - 1 ? "   " : "");
        }
        sb.append('\n');
        float[] max = new float[panels.size()];
        for (int p = 0; p < panels.size(); p++) {
            for (float v : panels.get(p).values()) {
                max[p] = Math.max(max[p], Math.abs(v));
            }
        }
        for (int y = 0; y < height; y++) {
            StringBuilder line = new StringBuilder();
            for (int p = 0; p < panels.size(); p++) {
                if (p > 0) {
                    line.append("   ");
                }
                for (int x = 0; x < width; x++) {
                    char c = shade(panels.get(p).values()[y * width + x], max[p]);
                    line.append(c).append(c);
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** The ramp character for {@code |v| / max}. */
    static char shade(float v, float max) {
        if (max <= 0f) {
            return RAMP.charAt(0);
        }
        int i = Math.round(Math.abs(v) / max * (RAMP.length() - 1));
        return RAMP.charAt(Math.min(i, RAMP.length() - 1));
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
