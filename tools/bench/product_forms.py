#!/usr/bin/env python3
"""The scalar Winograd product's loop forms, as C2 vectorizes them (a benchmark, not a test).

Writes a Java program with one method per form (T tiles x C channels per pass over the output
channels, the loop of ScalarWinograd's winogradProduct: o[f] = fma(a3, u3, fma(a2, u2, ...o[f])))),
compiles it with the given JDK and times each form in its own JVM on the Go net's shapes (16
products of 100 tiles, 192 -> F channels, blocks of 32 channel rows), printing the best of six
one-second rounds in GFLOP/s and a hash of the sums (equal hashes: the same bits).

    tools/bench/product_forms.py [--java /usr/lib/jvm/temurin-25-jdk-amd64] [--f 192] [--block 32] \\
        [--flags "-XX:MaxVectorSize=32"] 4x4 3x4 4x2 2x8

About 10 GFLOP/s means C2 left the form's loop scalar. Channels per pass must divide the block.
"""
import argparse
import os
import subprocess
import tempfile


def method(tiles, chans):
    name = f"p{tiles}x{chans}"
    lines = [f"    static void {name}(float[][] sums, float[][] u, float[] tv, int c, int f, int tiles, int block) {{",
             f"        int whole = tiles / {tiles} * {tiles};",
             "        for (int xi = 0; xi < 16; xi++) {",
             "            int m0 = xi * tiles, ub = xi * c, vb = xi * tiles * c;",
             "            for (int t = 0; t < tiles; t++) java.util.Arrays.fill(sums[m0 + t], 0, f, 0f);",
             "            for (int c0 = 0; c0 < c; c0 += block) {",
             "                int cn = Math.min(block, c - c0);",
             f"                for (int t = 0; t < whole; t += {tiles}) {{"]
    lines += [f"                    float[] o{q} = sums[m0 + t + {q}];" for q in range(tiles)]
    lines += ["                    int va = vb + t * c + c0;",
              f"                    for (int r = 0; r < cn; r += {chans}) {{"]
    lines += [f"                        float[] w{i} = u[ub + c0 + r + {i}];" for i in range(chans)]
    for q in range(tiles):
        lines.append(f"                        int v{q} = va + r + {q} * c;")
        lines += [f"                        float a{q}_{i} = tv[v{q} + {i}];" for i in range(chans)]
    lines.append("                        for (int f0 = 0; f0 < f; f0++) {")
    lines += [f"                            float u{i} = w{i}[f0];" for i in range(chans)]
    for q in range(tiles):
        s = f"o{q}[f0]"
        for i in range(chans):
            s = f"Math.fma(a{q}_{i}, u{i}, {s})"
        lines.append(f"                            o{q}[f0] = {s};")
    lines += ["                        }", "                    }", "                }",
              "                for (int t = whole; t < tiles; t++) {",
              "                    float[] o = sums[m0 + t];",
              "                    int va = vb + t * c + c0;",
              "                    for (int r = 0; r < cn; r++) {",
              "                        float[] w0 = u[ub + c0 + r];",
              "                        float a = tv[va + r];",
              "                        for (int f0 = 0; f0 < f; f0++) o[f0] = Math.fma(a, w0[f0], o[f0]);",
              "                    }", "                }", "            }", "        }", "    }"]
    return name, "\n".join(lines)


MAIN = """
    public static void main(String[] args) {
        String form = args[0];
        int c = 192, tiles = 100, f = Integer.parseInt(args[1]), block = Integer.parseInt(args[2]);
        java.util.Random r = new java.util.Random(1);
        float[][] sums = new float[16 * tiles][f];
        float[][] u = new float[16 * c][f];
        for (float[] row : u) for (int i = 0; i < f; i++) row[i] = r.nextFloat() - 0.5f;
        float[] tv = new float[16 * tiles * c];
        for (int i = 0; i < tv.length; i++) tv[i] = r.nextFloat() - 0.5f;
        double flops = 2.0 * 16 * tiles * c * f, best = 0;
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime();
            int calls = 0;
            while (System.nanoTime() - t0 < 1_000_000_000L) {
                run(form, sums, u, tv, c, f, tiles, block);
                calls++;
            }
            best = Math.max(best, flops * calls / (System.nanoTime() - t0));
        }
        long hash = 0;
        for (float[] row : sums) for (float v : row) hash = hash * 31 + Float.floatToRawIntBits(v);
        System.out.printf("%-5s F=%d block=%d: best %.1f GFLOP/s, sums hash %x%n", form, f, block, best, hash);
    }
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--java", default="/usr/lib/jvm/temurin-25-jdk-amd64")
    p.add_argument("--f", type=int, default=192)
    p.add_argument("--block", type=int, default=32)
    p.add_argument("--flags", default="")
    p.add_argument("forms", nargs="*", default=["4x4", "3x4", "4x2", "2x8"])
    a = p.parse_args()
    forms = [tuple(int(v) for v in s.split("x")) for s in a.forms]
    methods = [method(t, ch) for t, ch in forms]
    cases = "\n".join(f'            case "{t}x{ch}": {n}(s, u, tv, c, f, t, b); break;'
                      for (t, ch), (n, _) in zip(forms, methods))
    src = ("public final class ProductForms {\n" + "\n".join(m for _, m in methods) + MAIN
           + "    static void run(String v, float[][] s, float[][] u, float[] tv, int c, int f, int t, int b) {\n"
           + "        switch (v) {\n" + cases
           + "\n            default: throw new IllegalArgumentException(v);\n        }\n    }\n}\n")
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "ProductForms.java"), "w") as out:
            out.write(src)
        subprocess.run([os.path.join(a.java, "bin", "javac"), "-d", d, os.path.join(d, "ProductForms.java")], check=True)
        for t, ch in forms:
            subprocess.run([os.path.join(a.java, "bin", "java"), *a.flags.split(), "-cp", d, "ProductForms",
                            f"{t}x{ch}", str(a.f), str(a.block)], check=True)


if __name__ == "__main__":
    main()
