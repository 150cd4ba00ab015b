import { describe, expect, it } from "vitest";
import { maxCode, minCode, toReal, ulp } from "../../gen/fixed/format.js";
import { generate } from "../../gen/generate.js";
import { evaluate } from "../../gen/model/golden.js";

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
      expect(folded.y.provenance!.unfolded!.segments).toBe(plain.design.y.breakpoints.length);
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
