import { describe, expect, it } from "vitest";
import { compileExpression } from "../../gen/functions/expression.js";
import { generate } from "../../gen/generate.js";
import { UserError } from "../../gen/spec/errors.js";

describe("--expr: user expressions", () => {
  it("evaluates with mathjs and differentiates symbolically, sigmoid included", () => {
    const e = compileExpression("x*sigmoid(1.702*x)");
    const s = (x: number): number => 1 / (1 + Math.exp(-x));
    expect(e.evaluate(0.7)).toBeCloseTo(0.7 * s(1.702 * 0.7), 15);
    const d = 1e-6;
    expect(e.derivative(0.7)).toBeCloseTo((e.evaluate(0.7 + d) - e.evaluate(0.7 - d)) / (2 * d), 8);
    expect(e.derivativeText).toBeDefined();
  });

  it("falls back to a central difference where mathjs cannot differentiate (erf)", () => {
    const e = compileExpression("erf(x)");
    expect(e.derivativeText).toBeUndefined();
    expect(e.derivative(0.5)).toBeCloseTo((2 / Math.sqrt(Math.PI)) * Math.exp(-0.25), 8);
  });

  it("generates the same segment count as the built-in function it spells out", () => {
    const spec = { in: "s4.10", out: "u1.12", maxError: "2^-9" } as const;
    const builtin = generate({ ...spec, function: "sigmoid" });
    const expr = generate({ ...spec, expr: "1 / (1 + exp(-x))" });
    expect(expr.design.y.breakpoints.length).toBe(builtin.design.y.breakpoints.length);
    expect(expr.design.function).toBe("expr");
  });

  const bad: [string, RegExp][] = [
    ["x*(1+", /is not a valid expression/],
    ["x + y", /uses unknown name y/],
    ["foo(x)", /calls unknown function foo/],
    ["a = x", /uses an assignment/],
    ["log(x)", /gives NaN for expr at x = -8/],
    ["1/x", /gives Infinity for expr at x = 0/],
    ["exp(1000*x)", /gives Infinity/],
    ["[x, x]", /uses a matrix or object/],
  ];
  for (const [expr, reason] of bad) {
    it(`refuses ${JSON.stringify(expr)} with exit code 2 naming --expr`, () => {
      let error: unknown;
      try {
        generate({ expr, in: "s4.8", out: "s4.8", maxError: "2^-6" });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).exitCode).toBe(2);
      expect((error as UserError).message).toMatch(
        new RegExp(`^--expr: ${JSON.stringify(expr).replace(/[[\]()*+^]/g, "\\$&")} `),
      );
      expect((error as UserError).message).toMatch(reason);
    });
  }

  it("--expr and --function together are refused", () => {
    expect(() =>
      generate({ function: "tanh", expr: "x", in: "s2.8", out: "s2.8", maxError: "2^-6" }),
    ).toThrow(/^--expr: "x" cannot be combined with --function/);
  });
});
