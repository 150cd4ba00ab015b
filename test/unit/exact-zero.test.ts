import { describe, expect, it } from "vitest";
import { maxCode, minCode, toReal, ulp } from "../../gen/fixed/format.js";
import { generate } from "../../gen/generate.js";
import { evaluate, evaluateDerivative } from "../../gen/model/golden.js";
import { specHash } from "../../gen/spec/normalize.js";

/**
 * --exact-zero: the output at x = 0 is f(0) rounded to the nearest code, the bound still
 * holds on every code, and a folded unit becomes exactly odd (y(-x) = -y(x)) or point
 * symmetric (y(-x) = C - y(x)), zero included. Here it costs at most a segment (two
 * unfolded): the free optimum with x = 0 split off into a segment of its own meets the pin
 * whenever the intercept format holds f(0)'s code, as it does in these cases.
 */
const cases = [
  { function: "tanh", in: "s3.13", out: "s1.15", maxError: "1e-3", fold: "odd" },
  { function: "tanh", in: "s4.12", out: "s1.15", maxError: "2^-6", fold: "odd" },
  { function: "softsign", in: "s4.10", out: "s1.13", maxError: "2^-8", fold: "odd" },
  { function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "2^-10", fold: "point" },
  { function: "sigmoid", in: "s3.9", out: "u1.11", maxError: "2^-6", fold: "point" },
  { function: "dsigmoid", in: "s4.10", out: "u0.14", maxError: "2^-9", fold: "even" },
  { function: "gelu", in: "s4.10", out: "s4.10", maxError: "2^-8", fold: "none" },
  { function: "softplus", in: "s4.10", out: "u3.10", maxError: "2^-7", fold: "none" },
  { function: "exp", in: "s3.9", out: "u6.10", maxError: "2^-8", fold: "none" },
] as const;

describe("--exact-zero", () => {
  for (const c of cases) {
    it(`${c.function} ${c.in} -> ${c.out} at ${c.maxError} (${c.fold})`, () => {
      // The classic datapath, whose folds are exact (two's complement) and whose count is minimal.
      const spec = {
        function: c.function,
        in: c.in,
        out: c.out,
        maxError: c.maxError,
        method: "optimal",
      } as const;
      const exact = generate({ ...spec, exactZero: true });
      const free = generate(spec);
      const design = exact.design;
      expect(design.y.fold.kind).toBe(c.fold);
      const f = exact.function.f;
      const step = ulp(design.y.output);
      // y(0): the nearest code to f(0).
      expect(Math.abs(evaluate(design, 0) * step - f(0))).toBeLessThanOrEqual(step / 2);
      // The bound on every code.
      const bound = design.y.bound;
      for (let x = minCode(design.input); x <= maxCode(design.input); x++) {
        expect(Math.abs(evaluate(design, x) * step - f(toReal(x, design.input)))).toBeLessThanOrEqual(bound);
      }
      // Exact symmetry across zero, zero included.
      const fold = design.y.fold;
      for (let x = 0; x <= maxCode(design.input); x++) {
        const pair = evaluate(design, -x);
        if (fold.kind === "odd") expect(pair + evaluate(design, x)).toBe(0);
        if (fold.kind === "point") expect(pair).toBe(fold.constant - evaluate(design, x));
        if (fold.kind === "even") expect(pair).toBe(evaluate(design, x));
      }
      const segments = design.y.breakpoints.length;
      const freeSegments = free.design.y.breakpoints.length;
      expect(segments).toBeGreaterThanOrEqual(freeSegments);
      expect(segments).toBeLessThanOrEqual(freeSegments + (fold.kind === "none" ? 2 : 1));
    });
  }

  it("without it a folded tanh may miss zero (the default keeps the fewest segments)", () => {
    const free = generate({ function: "tanh", in: "s3.13", out: "s1.15", maxError: "1e-3" });
    expect(evaluate(free.design, 0)).not.toBe(0);
  });

  it("applies to a --derivative pwl dy as well: dy(0) is f'(0) rounded", () => {
    const g = generate({
      function: "tanh",
      in: "s4.10",
      out: "s1.13",
      maxError: "2^-8",
      derivative: "pwl",
      dout: "s2.12",
      exactZero: true,
    });
    expect(evaluateDerivative(g.design, 0)).toBe(4096);
    expect(evaluate(g.design, 0)).toBe(0);
  });

  it("a fixed intercept format that cannot give f(0)'s code is named, with bounds and budgets", () => {
    const spec = { function: "softplus", in: "s3.13", out: "s4.12", interceptFormat: "s4.4" } as const;
    expect(() => generate({ ...spec, maxError: "2^-4" })).not.toThrow();
    for (const target of [{ maxError: "2^-4" }, { segments: 4 }]) {
      expect(() => generate({ ...spec, ...target, exactZero: true })).toThrow(
        /s4\.4" cannot give softplus\(0\)'s nearest output code at x = 0, which --exact-zero asks for/,
      );
    }
  });

  it("enters the spec hash only when set, so the hashes of earlier outputs stay valid", () => {
    const spec = { function: "sigmoid", in: "s4.8", out: "u1.9", maxError: "2^-6" } as const;
    const plain = generate(spec).spec;
    const off = generate({ ...spec, exactZero: false }).spec;
    const on = generate({ ...spec, exactZero: true }).spec;
    expect(specHash(off)).toBe(specHash(plain));
    expect(specHash(on)).not.toBe(specHash(plain));
  });
});
