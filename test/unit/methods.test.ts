import { describe, expect, it } from "vitest";
import { minCode, toReal } from "../../gen/fixed/format.js";
import type { PwlDesign } from "../../gen/design/ir.js";
import { pwlDesignSchema } from "../../gen/design/schema.js";
import { generate } from "../../gen/generate.js";
import { evaluate } from "../../gen/model/golden.js";
import { renderModule } from "../../gen/rtl/render.js";
import { datapathShape, lineEvaluator } from "../../gen/segment/datapath.js";
import { LineFitter } from "../../gen/segment/fitter.js";
import { fitRange } from "../../gen/segment/optimal.js";
import { type FitProblem, operandAt } from "../../gen/segment/problem.js";
import { cellProblem, domainBits, uniformRanges } from "../../gen/segment/uniform.js";
import { sigmoid } from "../../gen/functions/sigmoid.js";
import { type ProblemCase, formatsFor, makeProblem } from "../support/problems.js";

/**
 * The trade the paper describes, on the bit-exact hardware: the optimal segmenter never
 * needs more segments than the paper's least-squares greedy growth, which never needs more
 * than uniform power-of-two segmentation; each meets the bound on every code.
 */
const functions = ["sigmoid", "tanh", "gelu", "silu"] as const;
const outputs = { sigmoid: "u1.15", tanh: "s1.15", gelu: "s4.12", silu: "s4.12" } as const;

describe("optimal <= lsq-greedy <= uniform in segment count", () => {
  for (const fn of functions) {
    for (const k of [6, 8, 10]) {
      it(`${fn} s4.12 at 2^-${k}`, () => {
        const counts = (["optimal", "lsq-greedy", "uniform"] as const).map((method) => {
          const g = generate({ function: fn, in: "s4.12", out: outputs[fn], maxError: 2 ** -k, method });
          expect(g.y.accuracy.max).toBeLessThanOrEqual(2 ** -k);
          expect(g.design.y.select.kind).toBe(method === "uniform" ? "index" : "tree");
          return g.design.y.breakpoints.length;
        });
        const [optimal, lsq, uniform] = counts as [number, number, number];
        expect(optimal).toBeLessThanOrEqual(lsq);
        expect(lsq).toBeLessThanOrEqual(uniform);
        expect(Math.log2(uniform) % 1).toBe(0);
      });
    }
  }
});

describe("uniform segments", () => {
  it("are equal, power-of-two aligned, and the count is the smallest power of two that works", () => {
    const g = generate({ function: "gelu", in: "s4.8", out: "s4.10", maxError: "2^-8", method: "uniform" });
    const channel = g.design.y;
    if (channel.select.kind !== "index") throw new Error("not an index select");
    const size = 2 ** channel.select.shift;
    channel.breakpoints.forEach((b, i) => expect(b).toBe(-2048 + i * size));
    // Half as many segments must miss the bound somewhere.
    const fewer = () =>
      generate({
        function: "gelu",
        in: "s4.8",
        out: "s4.10",
        segments: channel.breakpoints.length / 2,
        method: "uniform",
      });
    expect(fewer().y.accuracy.max).toBeGreaterThan(2 ** -8);
  });
});

/**
 * Local offsets with a two's complement fold: the magnitude 2^(w-1) of the most negative
 * input lies past the last cell. Its offset wraps to 0 (no logic) where the last cell's
 * line stays within the bound there, as for functions flat at the end; otherwise (a ramp
 * fold, steep at the end) it saturates at the cell's last code, an OR per offset bit. The
 * golden model reads each as the IR says, and the bound holds on every code both ways.
 */
describe("local offsets past the last cell", () => {
  const UNIT = { in: "s3.9", method: "uniform", localOffset: true, foldStyle: "twos" } as const;
  const offsetLine = (g: ReturnType<typeof generate>): string =>
    renderModule(g.design)
      .split("\n")
      .find((line) => / y_offset = /.test(line))!;

  it("wrap to the cell's start where that meets the bound (sigmoid: no logic)", () => {
    const g = generate({ ...UNIT, function: "sigmoid", in: "s4.12", out: "s4.12", maxError: "2^-12" });
    const select = g.design.y.select;
    expect(select).toMatchObject({ kind: "index", offset: true });
    expect(select.kind === "index" && select.offsetSaturates).toBeFalsy();
    expect(offsetLine(g)).not.toContain("|");
    expect(g.y.accuracy.max).toBeLessThanOrEqual(2 ** -12);
  });

  it("saturate at the cell's last code where wrapping cannot (silu, ramp fold, 1 ulp)", () => {
    const g = generate({ ...UNIT, function: "silu", out: "s3.9", maxError: "2^-9", symmetry: "ramp" });
    expect(g.design.y.select).toMatchObject({ kind: "index", offset: true, offsetSaturates: true });
    expect(offsetLine(g)).toMatch(/ \| \{\d+\{x_mag\[11\]\}\};/);
    expect(g.y.accuracy.max).toBeLessThanOrEqual(2 ** -9);
    // Read as wrapping (offset 0 at |x| = 2^(w-1)), the same table misses the bound there.
    const select = g.design.y.select;
    if (select.kind !== "index") throw new Error("not an index select");
    const wrapped: PwlDesign = {
      ...g.design,
      y: {
        ...g.design.y,
        select: { kind: "index", indexBits: select.indexBits, shift: select.shift, offset: true },
      },
    };
    const x = minCode(g.design.input);
    const error = (d: PwlDesign): number =>
      Math.abs(toReal(evaluate(d, x), d.y.output) - g.function.f(toReal(x, d.input)));
    expect(error(g.design)).toBeLessThanOrEqual(2 ** -9);
    expect(error(wrapped)).toBeGreaterThan(2 ** -9);
    // train --design reads the IR back: its schema keeps the field, and wants offsets with it.
    expect(pwlDesignSchema.safeParse(g.design).success).toBe(true);
    const noOffsets = { ...g.design, y: { ...g.design.y, select: { ...select, offset: false } } };
    expect(pwlDesignSchema.safeParse(noOffsets).error?.issues[0]?.message).toBe("needs local offsets");
  });
});

/**
 * The fitter takes a cell's codes in increasing operand order. With local offsets the code
 * past the last cell (a two's complement fold's 2^b) reads the operand of another code of
 * that cell, its first (wrapping) or its last (saturating): its targets join that code's.
 * Every slope the fitter then allows, with either end of its intercept range, keeps every
 * code of the last cell, that one included, within its own targets.
 */
describe("the last cell of local offsets, as the fitter sees it", () => {
  const cases: (ProblemCase & { slope: string; intercept: string })[] = [
    {
      f: Math.tanh,
      input: "s3.6",
      output: "s1.8",
      bound: 2 ** -7,
      fold: { kind: "odd", constant: 0, style: "twos" },
      slope: "s1.9",
      intercept: "s1.10",
    },
    {
      f: sigmoid,
      input: "s4.5",
      output: "u1.8",
      bound: 2 ** -7,
      fold: { kind: "point", constant: 2 ** 8, style: "twos" },
      slope: "s0.10",
      intercept: "u1.10",
    },
    {
      f: (x) => x * sigmoid(x),
      input: "s3.6",
      output: "s3.6",
      bound: 2 ** -6,
      fold: { kind: "ramp", constant: 1, style: "twos" },
      slope: "s1.8",
      intercept: "s3.8",
    },
  ];
  for (const c of cases) {
    it(`${c.fold!.kind} fold, ${c.input} -> ${c.output}`, () => {
      const problem: FitProblem = { ...makeProblem(c), offsetBits: 0 };
      const shape = datapathShape(formatsFor(problem, c.slope, c.intercept));
      const output = lineEvaluator(shape);
      const { low, high } = problem.targets;
      let pairs = 0;
      for (let k = 1; k < domainBits(problem); k++) {
        const fitter = new LineFitter();
        const cells = cellProblem(problem, k, fitter, shape);
        if (!cells) continue;
        const [start, end] = uniformRanges(problem, k).at(-1)!;
        expect(fitRange(fitter, cells, shape, start, end)).toBe(true);
        const x = operandAt(cells);
        const [mLo, mHi] = fitter.slopeRange();
        for (let m = mLo; m <= mHi; m++) {
          const [cLo, cHi] = fitter.interceptRange(m);
          for (const intercept of cLo <= cHi ? [cLo, cHi] : []) {
            pairs++;
            for (let i = start; i <= end; i++) {
              const q = output(m, intercept, x(i));
              expect(
                q >= low[i]! && q <= high[i]!,
                `k ${k}, code ${i}, slope ${m}, intercept ${intercept}`,
              ).toBe(true);
            }
          }
        }
      }
      expect(pairs).toBeGreaterThan(0);
    });
  }
});

/**
 * --share-slopes: the same cells, with runs of adjacent cells on one slope wherever one
 * serves them all, so the slope column holds fewer distinct values; the bound still holds.
 */
describe("shared slopes", () => {
  const spec = {
    function: "tanh",
    in: "s3.9",
    out: "s1.11",
    maxError: "2^-8",
    method: "uniform",
    localOffset: true,
  } as const;
  const distinct = (values: readonly number[]): number => new Set(values).size;
  const runs = (values: readonly number[]): number =>
    values.filter((v, i) => i === 0 || v !== values[i - 1]).length;

  for (const localOffset of [true, false]) {
    it(`keep the cells and the bound, with fewer slope runs (${localOffset ? "local offsets" : "x"})`, () => {
      const plain = generate({ ...spec, localOffset });
      const shared = generate({ ...spec, localOffset, shareSlopes: true });
      expect(shared.design.y.breakpoints).toEqual(plain.design.y.breakpoints);
      expect(shared.design.y.select).toMatchObject({ kind: "index", sharedSlopes: true });
      expect(plain.design.y.select).not.toHaveProperty("sharedSlopes");
      expect(runs(shared.design.y.slopes)).toBeLessThan(runs(plain.design.y.slopes));
      expect(distinct(shared.design.y.slopes)).toBeLessThanOrEqual(distinct(plain.design.y.slopes));
      expect(shared.y.accuracy.max).toBeLessThanOrEqual(2 ** -8);
      expect(renderModule(shared.design)).toContain("shared slopes");
      expect(pwlDesignSchema.safeParse(shared.design).success).toBe(true);
    });
  }

  it("apply to uniform segments only", () => {
    for (const method of ["optimal", "lsq-greedy", "grid"] as const) {
      expect(() => generate({ ...spec, localOffset: undefined, method, shareSlopes: true })).toThrow(
        /shareSlopes|share-slopes/,
      );
    }
  });
});
