import { describe, expect, it } from "vitest";
import { FUNCTIONS, findFunction } from "../../gen/functions/registry.js";
import * as precise from "../support/precise.js";
import { Precise, type Dec } from "../support/precise.js";

/**
 * Every double-precision reference against a 120-digit evaluation of the textbook formula,
 * at many points including the tails: a few ulps everywhere (functions that cross zero away
 * from x = 0 are held to a few ulps of the size of their terms there).
 */
const EPS = 2 ** -52;

const cases: Record<
  string,
  { exact: (x: Dec) => Dec; params?: { alpha?: number; beta?: number }; scale?: number }
> = {
  sigmoid: { exact: precise.sigmoid },
  tanh: { exact: precise.tanh },
  gelu: { exact: precise.gelu },
  gelu_tanh: { exact: precise.geluTanh },
  silu: { exact: precise.silu(1) },
  softplus: { exact: precise.softplus },
  elu: { exact: precise.elu(1) },
  selu: { exact: precise.selu },
  mish: { exact: precise.mish },
  softsign: { exact: precise.softsign },
  exp: { exact: precise.exp },
  dsigmoid: { exact: precise.dsigmoid },
  dtanh: { exact: precise.dtanh },
  dgelu: { exact: precise.dgelu, scale: 1 },
  dgelu_tanh: { exact: precise.dgeluTanh, scale: 1 },
  dsilu: { exact: precise.dsilu(1), scale: 1 },
  dsoftplus: { exact: precise.sigmoid },
  delu: { exact: precise.delu(1) },
  dselu: { exact: precise.dselu },
  dmish: { exact: precise.dmish, scale: 1 },
  dsoftsign: { exact: precise.dsoftsign },
};

// Dyadic points (k / 64, and a few tiny ones), so that the decimal the reference starts
// from is exactly the double the function gets.
const POINTS: number[] = [];
for (let k = -2560; k <= 2560; k += 7) POINTS.push(k / 64);
POINTS.push(0, 2 ** -30, -(2 ** -30), 2 ** -17, -(2 ** -17), 0.5, -0.5, 40, -40);

function ulpsOff(name: string, f: (x: number) => number, exact: (x: Dec) => Dec, scale = 0): number {
  let worst = 0;
  for (const x of POINTS) {
    const want = exact(new Precise(x));
    const got = f(x);
    const error = Math.abs(new Precise(got).minus(want).toNumber());
    const size = Math.max(Math.abs(want.toNumber()), scale, 1e-300 / EPS);
    const ulps = error / (size * EPS);
    if (ulps > worst) worst = ulps;
    if (!Number.isFinite(got)) throw new Error(`${name}(${x}) = ${got}`);
  }
  return worst;
}

describe("double-precision references are accurate to a few ulps", () => {
  it("every registered function has a high-precision case here", () => {
    expect(Object.keys(cases).sort()).toEqual(FUNCTIONS.map((fn) => fn.name).sort());
  });

  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const fn = findFunction(name)!;
      const f = fn.make(c.params ?? {});
      // exp overflows doubles beyond x = 709; the input formats never reach that far here.
      expect(ulpsOff(name, f, c.exact, c.scale)).toBeLessThan(6);
    });
  }

  it("parameters reach the formula: silu beta 1.702, elu and delu alpha 0.5", () => {
    expect(ulpsOff("silu", findFunction("silu")!.make({ beta: 1.702 }), precise.silu(1.702))).toBeLessThan(6);
    expect(
      ulpsOff("dsilu", findFunction("dsilu")!.make({ beta: 1.702 }), precise.dsilu(1.702), 1),
    ).toBeLessThan(6);
    expect(ulpsOff("elu", findFunction("elu")!.make({ alpha: 0.5 }), precise.elu(0.5))).toBeLessThan(6);
    expect(ulpsOff("delu", findFunction("delu")!.make({ alpha: 0.5 }), precise.delu(0.5))).toBeLessThan(6);
  });
});

describe("declared symmetries and derivatives hold", () => {
  for (const fn of FUNCTIONS) {
    it(`${fn.name}: ${fn.symmetry.kind}${fn.derivative ? `, derivative ${fn.derivative}` : ""}`, () => {
      const f = fn.make({});
      for (const x of POINTS.filter((p) => Math.abs(p) < 20)) {
        const relation =
          fn.symmetry.kind === "odd"
            ? f(-x) + f(x)
            : fn.symmetry.kind === "even"
              ? f(-x) - f(x)
              : fn.symmetry.kind === "point"
                ? f(-x) + f(x) - fn.symmetry.value
                : 0;
        expect(Math.abs(relation)).toBeLessThan(1e-14 * Math.max(1, Math.abs(f(x))));
      }
      if (fn.derivative) {
        const d = findFunction(fn.derivative)!.make({});
        for (const x of [-3.3, -1, -0.25, 0.4, 1.7, 2.9]) {
          const h = 1e-5;
          expect(d(x)).toBeCloseTo((f(x + h) - f(x - h)) / (2 * h), 7);
        }
      }
    });
  }
});
