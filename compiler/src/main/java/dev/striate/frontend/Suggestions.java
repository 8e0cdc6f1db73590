package dev.striate.frontend;

import java.util.Collection;

/** "Did you mean ...?" hints: the closest known name by edit distance, if it is close enough. */
public final class Suggestions {
    /** Names longer than this get no hint (and cost no quadratic edit distance). */
    static final int MAX_LENGTH = 64;

    private Suggestions() {
    }

    /** {@code "; did you mean 'conv2d'?"}, or {@code ""} when nothing is close. */
    public static String didYouMean(String wrong, Collection<String> known) {
        if (wrong.length() > MAX_LENGTH) {
            return "";
        }
        int limit = Math.min(3, (wrong.length() + 1) / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known.stream().sorted().toList()) {
            if (Math.abs(k.length() - wrong.length()) > limit) {
                continue; // the distance is at least the difference in length
            }
            int d = distance(wrong.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= limit ? "; did you mean '" + best + "'?" : "";
    }

    /** Levenshtein distance with adjacent transpositions counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
