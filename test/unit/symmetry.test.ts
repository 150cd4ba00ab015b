import { describe, expect, it } from "vitest";
import { maxCode, minCode, toReal, ulp } from "../../gen/fixed/format.js";
import { generate } from "../../gen/generate.js";
import { evaluate } from "../../gen/model/golden.js";
import { renderUnit } from "../../gen/unit.js";

/**
 * Folding by symmetry: the table covers |x| only, about half the segments of the unfolded
 * table at the same bound, and the bound still holds on every code, the most negative one
 * (whose magnitude 2^(w-1) is outside the input range) included.
 */
const cases = [
  { function: "sigmoid", out: "u1.15", fold: "point" },
  { function: "tanh", out: "s1.15", fold: "odd" },
  { function: "softsign", out: "s1.15", fold: "odd" },
  { function: "dsigmoid", out: "u0.16", fold: "even" },
  { function: "dtanh", out: "u1.15", fold: "even" },
  { function: "dsilu", out: "s2.14", fold: "point" },
  { function: "dgelu", out: "s2.14", fold: "point" },
] as const;

describe("symmetric functions fold and need about half the segments", () => {
  for (const c of cases) {
    it(`${c.function} (${c.fold})`, () => {
      const spec = {
        function: c.function,
        in: "s4.12",
        out: c.out,
        maxError: "2^-10",
        method: "optimal",
      } as const;
      const folded = generate(spec);
      const plain = generate({ ...spec, symmetry: "off" });
      const channel = folded.design.y;
      expect(channel.fold.kind).toBe(c.fold);
      expect(channel.breakpoints[0]).toBe(0);
      expect(plain.design.y.fold.kind).toBe("none");
      const ratio = channel.breakpoints.length / plain.design.y.breakpoints.length;
      expect(ratio).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThanOrEqual(0.65);
      expect(folded.y.provenance!.unfolded).toMatchObject({ segments: plain.design.y.breakpoints.length });
      // Every code, the most negative included.
      const f = folded.function.f;
      for (const x of [
        minCode(folded.design.input),
        minCode(folded.design.input) + 1,
        -1,
        0,
        maxCode(folded.design.input),
      ]) {
        const error = Math.abs(
          evaluate(folded.design, x) * ulp(channel.output) - f(toReal(x, folded.design.input)),
        );
        expect(error).toBeLessThanOrEqual(channel.bound);
      }
      expect(folded.y.accuracy.max).toBeLessThanOrEqual(channel.bound);
    });
  }

  it("asymmetric functions and unsigned inputs do not fold", () => {
    expect(
      generate({ function: "gelu", in: "s4.8", out: "s4.8", maxError: "2^-6", method: "optimal" }).design.y
        .fold.kind,
    ).toBe("none");
    expect(
      generate({ function: "tanh", in: "u3.8", out: "s1.9", maxError: "2^-6", method: "optimal" }).design.y
        .fold.kind,
    ).toBe("none");
  });

  it("an expression's symmetry is detected: x^2 is even, x^3 odd, 1/(1+exp(-x)) point-symmetric", () => {
    const fold = (expr: string, out: string): string =>
      generate({ expr, in: "s2.8", out, maxError: "2^-6", method: "optimal" }).design.y.fold.kind;
    expect(fold("x^2", "u3.8")).toBe("even");
    expect(fold("x^3 / 4", "s3.8")).toBe("odd");
    expect(fold("1/(1+exp(-x))", "u1.9")).toBe("point");
    expect(fold("x + x^2", "s4.8")).toBe("none");
  });
});

describe("the comparison without folding", () => {
  it("says so, in the report and the manifest, when the pinned formats meet the bound only folded", async () => {
    // 32 cells of one's complement magnitudes: the same formats cannot cover both halves.
    const g = generate({
      function: "sigmoid",
      in: "s4.12",
      out: "s4.12",
      maxError: "2^-6",
      method: "uniform",
      indexBits: 5,
      foldStyle: "ones",
      dropInputBits: 3,
      slopeFormat: "u-1.3",
      interceptFormat: "u1.5",
      localOffset: true,
    });
    expect(g.y.provenance!.unfolded).toBe("infeasible");
    const { files } = await renderUnit(g);
    expect(files.get("report.md")).toContain(
      "without folding, these coefficient formats cannot meet the bound",
    );
    expect(files.get("report.md")).not.toMatch(/Infinity|NaN/);
    const manifest = JSON.parse(files.get("manifest.json")!) as {
      segmentation: { symmetry: { unfolded: unknown } };
    };
    expect(manifest.segmentation.symmetry.unfolded).toBe("infeasible");
  });
});

/**
 * Ramp folds, f(x) = f(-x) + x (x/2 plus an even function): the table covers |x| and a
 * negative x adds c * x to its output. Only auto weighs them by default (the classic
 * methods keep their counts); --symmetry ramp folds every method's table.
 */
describe("ramp folds (gelu, silu, softplus)", () => {
  const spec = { in: "s4.10", out: "s4.12", maxError: "2^-8", method: "optimal" } as const;

  it("fold gelu, gelu_tanh, silu and softplus with --symmetry ramp in about half the segments, the bound held on every code", () => {
    for (const name of ["gelu", "gelu_tanh", "silu", "softplus"]) {
      const folded = generate({ ...spec, function: name, symmetry: "ramp" });
      const plain = generate({ ...spec, function: name });
      const y = folded.design.y;
      expect(y.fold).toEqual({ kind: "ramp", constant: 4, style: expect.any(String) });
      expect(plain.design.y.fold.kind).toBe("none");
      const ratio = y.breakpoints.length / plain.design.y.breakpoints.length;
      expect(ratio, name).toBeGreaterThan(0.35);
      expect(ratio, name).toBeLessThanOrEqual(0.7);
      // The golden model's output for a negative x is the table's at |x| plus 4x.
      const f = folded.function.f;
      for (let x = minCode(folded.design.input); x <= maxCode(folded.design.input); x += 7) {
        const error = Math.abs(
          evaluate(folded.design, x) * ulp(y.output) - f(toReal(x, folded.design.input)),
        );
        expect(error).toBeLessThanOrEqual(y.bound);
      }
      expect(folded.y.accuracy.max).toBeLessThanOrEqual(y.bound);
    }
  });

  it("are weighed by auto only: optimal's segment count is the classic one", () => {
    const optimal = generate({ ...spec, function: "gelu" });
    const auto = generate({ ...spec, function: "gelu", method: "auto" });
    expect(auto.y.choice?.optimalSegments).toBe(optimal.design.y.breakpoints.length);
    const architectures = auto.y.choice!.candidates.map((c) => c.architecture);
    expect(architectures.some((a) => a.includes("folded ramp"))).toBe(true);
    expect(architectures.some((a) => !a.includes("folded"))).toBe(true);
  });

  it("are detected in an expression: x * sigmoid(1.702 x) is x/2 plus an even function", () => {
    const y = generate({ expr: "x*sigmoid(1.702*x)", ...spec, symmetry: "ramp" }).design.y;
    expect(y.fold.kind).toBe("ramp");
  });

  it("a slope tap of a ramp-folded table is 1 - slope for negative x (a point fold with C = 1.0)", () => {
    const unit = generate({
      ...spec,
      function: "silu",
      symmetry: "ramp",
      derivative: "slope",
      dout: "s2.9",
    }).design;
    expect(unit.dy).toMatchObject({ kind: "slope", fold: { kind: "point", constant: 2 ** 9 } });
  });
});
