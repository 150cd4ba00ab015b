import { describe, expect, it } from "vitest";
import { maxCode, minCode, quantize, toReal, ulp } from "../../gen/fixed/format.js";
import { generate } from "../../gen/generate.js";
import { evaluate, evaluateDerivative, segmentAt } from "../../gen/model/golden.js";
import { UserError } from "../../gen/spec/errors.js";

describe("--derivative slope: dy is the active segment's slope", () => {
  for (const fn of ["sigmoid", "dsigmoid", "gelu"] as const) {
    it(`${fn}: dy = slope rounded to --dout on every code, unfolded for negative x`, () => {
      const g = generate({
        function: fn,
        in: "s4.8",
        out: "s4.10",
        maxError: "2^-8",
        derivative: "slope",
        dout: "s2.10",
      });
      const { design } = g;
      const dy = design.dy!;
      expect(dy.kind).toBe("slope");
      const y = design.y;
      for (let x = minCode(design.input); x <= maxCode(design.input); x++) {
        const slope = toReal(y.slopes[segmentAt(y, x)]!, y.slopeFormat);
        // For an even table (dsigmoid) the slope of the negative half is the negated slope.
        const sign = y.fold.kind === "even" && x < 0 ? -1 : 1;
        expect(evaluateDerivative(design, x)).toBe(quantize(sign * slope, dy.output) + 0);
      }
      // Its error against the true derivative is measured (and reported), not bounded.
      expect(g.dy!.accuracy.max).toBeGreaterThan(0);
      expect(g.dy!.provenance).toBeUndefined();
    });
  }
});

describe("--derivative pwl: dy is a minimal PWL of f' under its own bound", () => {
  it("sigmoid: dy meets --dmax-error on every code with its own breakpoints", () => {
    const g = generate({
      function: "sigmoid",
      in: "s4.10",
      out: "u1.12",
      maxError: "2^-10",
      derivative: "pwl",
      dout: "u0.12",
      dmaxError: "2^-9",
    });
    const dy = g.design.dy!;
    if (dy.kind !== "pwl") throw new Error("not pwl");
    expect(dy.bound).toBe(2 ** -9);
    expect(dy.fold.kind).toBe("even"); // sigmoid' is even
    let worst = 0;
    for (let x = minCode(g.design.input); x <= maxCode(g.design.input); x++) {
      const real = toReal(x, g.design.input);
      worst = Math.max(
        worst,
        Math.abs(evaluateDerivative(g.design, x) * ulp(dy.output) - g.function.derivative.f(real)),
      );
      // y is untouched by the derivative.
      expect(
        Math.abs(evaluate(g.design, x) * ulp(g.design.y.output) - g.function.f(real)),
      ).toBeLessThanOrEqual(2 ** -10);
    }
    expect(worst).toBeLessThanOrEqual(2 ** -9);
    expect(g.dy!.accuracy.max).toBe(worst);
    expect(dy.breakpoints).not.toEqual(g.design.y.breakpoints);
  });

  it("dmax-error defaults to the --max-error value", () => {
    const g = generate({
      function: "tanh",
      in: "s3.8",
      out: "s1.10",
      maxError: "2^-8",
      derivative: "pwl",
      dout: "u1.10",
    });
    expect(g.design.dy!.kind === "pwl" && g.design.dy!.bound).toBe(2 ** -8);
  });

  it("functions without a derivative formula use a central difference, and say so", () => {
    const g = generate({
      function: "dtanh",
      in: "s3.8",
      out: "u1.10",
      maxError: "2^-7",
      derivative: "pwl",
      dout: "s1.10",
    });
    expect(g.function.derivative.numerical).toBe(true);
    expect(g.dy!.accuracy.max).toBeLessThanOrEqual(2 ** -7);
  });
});

describe("derivative options are validated", () => {
  const base = { function: "sigmoid", in: "s4.8", out: "u1.10", maxError: "2^-8" } as const;
  it("--derivative without --dout", () => {
    expect(() => generate({ ...base, derivative: "slope" })).toThrow(
      /^--dout: \(missing\) is required with --derivative slope/,
    );
  });
  it("--dmax-error with --derivative slope", () => {
    expect(() => generate({ ...base, derivative: "slope", dout: "s1.10", dmaxError: 0.01 })).toThrow(
      /--dmax-error.*applies only to --derivative pwl/,
    );
  });
  it("a dy format that cannot hold f'", () => {
    expect(() =>
      generate({
        function: "silu",
        in: "s4.8",
        out: "s4.8",
        maxError: "2^-6",
        derivative: "pwl",
        dout: "s1.10",
      }),
    ).toThrow(UserError);
    expect(() =>
      generate({
        function: "silu",
        in: "s4.8",
        out: "s4.8",
        maxError: "2^-6",
        derivative: "pwl",
        dout: "s1.10",
      }),
    ).toThrow(/^--dout: "s1.10" cannot hold silu'/);
  });
  it("--alpha on a function without it", () => {
    expect(() => generate({ ...base, alpha: 2 })).toThrow(/^--alpha: 2 does not apply to sigmoid/);
  });
});
