import { describe, expect, it } from "vitest";
import {
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  compileExpression,
} from "../../gen/functions/expression.js";
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
    // Not a real number: said so, not "gives NaN".
    ["  ", /is not a real-valued function of x: it is empty/],
    ["x == 1", /is not a real-valued function of x: it gives a truth value \(false\) at x = /],
    ["'abc'", /is not a real-valued function of x: it gives the string "abc" at x = /],
    ["x & 3", /cannot be evaluated at x = [-\d.]+: Integers expected in function bitAnd/],
    // Every allowed function with its own number of arguments.
    ["sigmoid(x, 2)", /calls sigmoid with 2 arguments; sigmoid takes 1 argument/],
    ["softplus()", /calls softplus with 0 arguments; softplus takes 1 argument/],
    ["exp(x, 1)", /calls exp with 2 arguments; exp takes 1 argument/],
    ["cbrt(x, 1)", /calls cbrt with 2 arguments; cbrt takes 1 argument/],
    ["pow(x)", /calls pow with 1 argument; pow takes 2 arguments/],
    ["pow(x, 2, 3)", /calls pow with 3 arguments; pow takes 2 arguments/],
    ["log(x, 2, 3)", /calls log with 3 arguments; log takes 1 or 2 arguments/],
    ["min()", /calls min with 0 arguments; min takes 1 or more arguments/],
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

  it("takes each allowed function with its number of arguments (min and max any number)", () => {
    for (const text of [
      "max(x, 0)",
      "min(x, 1, 2, 3)",
      "max(x)",
      "pow(x, 2)",
      "log(x + 9, 2)",
      "sigmoid(x)",
    ]) {
      expect(() => compileExpression(text), text).not.toThrow();
    }
    expect(compileExpression("log(x, 2)").evaluate(8)).toBeCloseTo(3, 14);
    expect(compileExpression("min(x, 1, 2, 3)").evaluate(5)).toBe(1);
  });

  const refusal = (text: string): string => {
    try {
      compileExpression(text);
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      const message = (error as UserError).message;
      expect(message).not.toContain("\n");
      return message;
    }
    throw new Error(`${text.slice(0, 40)} was accepted`);
  };

  it(`refuses an expression over ${MAX_EXPRESSION_LENGTH} characters before parsing it, showing only its start`, () => {
    // 2,000 terms (about 18 KB) and 100k characters overflowed mathjs' recursion (RangeError).
    const terms = Array.from({ length: 2000 }, (_, i) => `x*0.${i + 1}`).join("+");
    expect(refusal(terms)).toMatch(
      new RegExp(
        `^--expr: "x\\*0\\.1\\+.{54}\u2026.{20}" \\(${terms.length} characters\\) is longer than the 1000 characters an expression may have$`,
      ),
    );
    const long = `x${"+x".repeat(50_000)}`;
    expect(refusal(long)).toMatch(
      /\(100001 characters\) is longer than the 1000 characters an expression may have$/,
    );
    const atLimit = `max(${"x,".repeat(497)}x)`;
    expect(atLimit).toHaveLength(MAX_EXPRESSION_LENGTH);
    expect(compileExpression(atLimit).evaluate(2)).toBe(2);
  });

  it(`refuses nesting deeper than ${MAX_EXPRESSION_DEPTH} levels, brackets before parsing`, () => {
    const depth = MAX_EXPRESSION_DEPTH;
    // At the limit: a sum of depth + 1 terms, depth parentheses, depth unary minuses.
    for (const text of [
      Array.from({ length: depth + 1 }, () => "x").join("+"),
      `${"(".repeat(depth)}x${")".repeat(depth)}`,
      `${"-".repeat(depth)}x`,
    ]) {
      expect(() => compileExpression(text), text.slice(0, 20)).not.toThrow();
    }
    expect(refusal(Array.from({ length: depth + 2 }, () => "x").join("+"))).toMatch(
      new RegExp(`nests ${depth + 1} levels deep .*; an expression may nest at most ${depth}$`),
    );
    expect(refusal(`${"-".repeat(depth + 1)}x`)).toMatch(new RegExp(`nests ${depth + 1} levels deep`));
    // 499 parentheses overflow mathjs' parser: refused from the text alone.
    expect(refusal(`${"(".repeat(499)}x${")".repeat(499)}`)).toMatch(/nests at least 499 levels deep/);
    expect(refusal(`${"exp(".repeat(150)}x${")".repeat(150)}`)).toMatch(/nests at least 150 levels deep/);
  });

  it(
    "differentiates a sum of 50 terms symbolically in one term per term (simplifying took minutes)",
    { timeout: 120_000 },
    () => {
      // mathjs' simplifier took 3.8 s at 20 terms, 34 s at 25 and over 200 s at 50.
      const e = compileExpression(Array.from({ length: 50 }, () => "x*0.0001").join("+"));
      expect(e.derivativeText).toBeDefined();
      expect(e.derivativeText!.split("+")).toHaveLength(50);
      expect(e.derivative(0.3)).toBeCloseTo(0.005, 15);
    },
  );

  it("uses a central difference where the symbolic derivative would be too large to evaluate cheaply", () => {
    // x*x*...*x: the product rule makes a derivative quadratic in the expression.
    const e = compileExpression(Array.from({ length: 80 }, () => "x").join("*"));
    expect(e.derivativeText).toBeUndefined();
    expect(e.derivative(1.01) / (80 * 1.01 ** 79)).toBeCloseTo(1, 6);
    // Nested sigmoids are spelled out at every level, so they stay symbolic.
    const nested = compileExpression("sigmoid(2*sigmoid(x))");
    expect(nested.derivativeText).toBeDefined();
    expect(nested.derivativeText).not.toContain("sigmoid");
  });

  it("--expr and --function together are refused", () => {
    expect(() =>
      generate({ function: "tanh", expr: "x", in: "s2.8", out: "s2.8", maxError: "2^-6" }),
    ).toThrow(/^--expr: "x" cannot be combined with --function/);
  });
});
