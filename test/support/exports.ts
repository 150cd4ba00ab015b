import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { width } from "../../gen/fixed/format.js";
import type { PwlDesign } from "../../gen/design/ir.js";

/**
 * Helpers that run the software exports of a written unit (the C model under a C compiler
 * with UBSan, the NumPy model under python3) on every input code of its vectors file and
 * return what they compute, as the port bits the vectors hold.
 */

/** The vectors file as input codes and expected port bits (y, and dy when there is one). */
export interface Vectors {
  readonly x: number[];
  readonly y: bigint[];
  readonly dy: bigint[] | undefined;
}

export function readVectors(path: string, design: PwlDesign): Vectors {
  const xw = width(design.input);
  const yw = width(design.y.output);
  const dyw = design.dy ? width(design.dy.output) : 0;
  const vectors: Vectors = { x: [], y: [], dy: design.dy ? [] : undefined };
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line === "" || line.startsWith("//")) continue;
    const bits = BigInt(`0x${line}`);
    const x = BigInt.asUintN(xw, bits >> BigInt(yw + dyw));
    vectors.x.push(Number(design.input.signed ? BigInt.asIntN(xw, x) : x));
    vectors.y.push(BigInt.asUintN(yw, bits >> BigInt(dyw)));
    vectors.dy?.push(BigInt.asUintN(dyw, bits));
  }
  return vectors;
}

/** Signed or unsigned model results as the port's bits. */
function portBits(values: readonly string[], bits: number): bigint[] {
  return values.map((value) => BigInt.asUintN(bits, BigInt(value)));
}

export interface ModelOutputs {
  readonly y: bigint[];
  readonly dy: bigint[] | undefined;
}

/** The C compiler's flags: C99, every warning an error, UBSan stopping at the first report. */
export const C_FLAGS = [
  "-std=c99",
  "-Wall",
  "-Wextra",
  "-Werror",
  "-pedantic",
  "-O1",
  "-fsanitize=undefined",
  "-fno-sanitize-recover=all",
];

/**
 * Compiles the unit's C model with a small harness (reads input codes from stdin, prints
 * <module>_eval and <module>_eval_dy per code) and runs it on the codes. Throws with the
 * compiler's or UBSan's output on any diagnostic.
 */
export function runCModel(dir: string, design: PwlDesign, codes: readonly number[]): ModelOutputs {
  const m = design.module;
  const harness = join(dir, "..", `${m}_harness.c`);
  writeFileSync(
    harness,
    [
      "#include <stdio.h>",
      `#include "${m}.h"`,
      "int main(void) {",
      "    long x;",
      '    while (scanf("%ld", &x) == 1) {',
      design.dy
        ? `        printf("%ld %ld\\n", (long)${m}_eval((int32_t)x), (long)${m}_eval_dy((int32_t)x));`
        : `        printf("%ld\\n", (long)${m}_eval((int32_t)x));`,
      "    }",
      "    return 0;",
      "}",
      "",
    ].join("\n"),
  );
  const binary = join(dir, "..", `${m}_model`);
  const build = spawnSync("cc", [...C_FLAGS, "-I", dir, join(dir, `${m}.c`), harness, "-o", binary], {
    encoding: "utf8",
  });
  if (build.status !== 0 || build.stderr !== "") {
    throw new Error(`cc failed (${build.status}):\n${build.stderr}${build.stdout}`);
  }
  const run = spawnSync(binary, [], {
    input: `${codes.join("\n")}\n`,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, UBSAN_OPTIONS: "halt_on_error=1:print_stacktrace=1" },
  });
  if (run.status !== 0 || run.stderr !== "")
    throw new Error(`C model failed (${run.status}):\n${run.stderr}`);
  return splitOutputs(run.stdout, design);
}

/**
 * Imports the unit's NumPy model in python3 and evaluates it on the codes at once
 * (evaluate, evaluate_dy); also checks that evaluate_real on the codes' real values (exact
 * in a double) gives evaluate's codes times the output ulp, and that evaluate gives numpy
 * integer arrays.
 */
export function runNumpyModel(dir: string, design: PwlDesign, codes: readonly number[]): ModelOutputs {
  const m = design.module;
  const script = [
    "import sys",
    "import numpy as np",
    `sys.path.insert(0, ${JSON.stringify(dir)})`,
    `import ${m} as model`,
    "codes = np.array(sys.stdin.read().split(), dtype=np.int64)",
    "y = model.evaluate(codes)",
    "assert isinstance(y, np.ndarray) and np.issubdtype(y.dtype, np.integer), y.dtype",
    `real = codes.astype(np.float64) * 2.0 ** -${design.input.fracBits}`,
    "assert np.array_equal(model.evaluate_real(real), y * model.Y_ULP), 'evaluate_real differs'",
    ...(design.dy
      ? [
          "dy = model.evaluate_dy(codes)",
          "assert np.array_equal(model.evaluate_real_dy(real), dy * model.DY_ULP), 'evaluate_real_dy differs'",
          "sys.stdout.write('\\n'.join(f'{a} {b}' for a, b in zip(y.tolist(), dy.tolist())) + '\\n')",
        ]
      : ["sys.stdout.write('\\n'.join(str(v) for v in y.tolist()) + '\\n')"]),
  ].join("\n");
  const run = spawnSync("python3", ["-B", "-c", script], {
    input: `${codes.join("\n")}\n`,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) throw new Error(`python3 failed (${run.status}):\n${run.stderr}`);
  return splitOutputs(run.stdout, design);
}

function splitOutputs(stdout: string, design: PwlDesign): ModelOutputs {
  const lines = stdout.trim().split("\n");
  const y = portBits(
    lines.map((line) => line.split(" ")[0]!),
    width(design.y.output),
  );
  const dy = design.dy
    ? portBits(
        lines.map((line) => line.split(" ")[1]!),
        width(design.dy.output),
      )
    : undefined;
  return { y, dy };
}

/** The first index where two lists differ, or -1. */
export function firstDifference(a: readonly bigint[], b: readonly bigint[]): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
