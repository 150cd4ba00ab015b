import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxCode, minCode, toReal, ulp, width } from "../../gen/fixed/format.js";
import { pwlDesignSchema } from "../../gen/design/schema.js";
import { generate } from "../../gen/generate.js";
import { evaluate } from "../../gen/model/golden.js";
import { UserError } from "../../gen/spec/errors.js";
import { randomSpec } from "../support/arbitrary.js";

/**
 * Properties over random designs (see test/support/arbitrary.ts): every design the
 * generator accepts meets its bound on every input code (checked here, independently of
 * model/accuracy.ts), keeps its coefficients in their formats, and stores no more segments
 * than the method allows; anything it refuses is a UserError.
 */
describe("random function x formats x bound x method x symmetry x pipeline", () => {
  it("golden model meets the bound on every code", () => {
    const seen = { design: 0, refused: 0 };
    fc.assert(
      fc.property(randomSpec, (spec) => {
        let generation;
        try {
          generation = generate(spec);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          seen.refused++;
          return;
        }
        seen.design++;
        const { design } = generation;
        const channel = design.y;
        const step = ulp(channel.output);
        for (let x = minCode(design.input); x <= maxCode(design.input); x++) {
          const error = Math.abs(evaluate(design, x) * step - generation.function.f(toReal(x, design.input)));
          if (!(error <= channel.bound)) throw new Error(`x=${x}: error ${error} > ${channel.bound}`);
        }
        channel.slopes.forEach((m, i) => {
          expect(m).toBeGreaterThanOrEqual(minCode(channel.slopeFormat));
          expect(m).toBeLessThanOrEqual(maxCode(channel.slopeFormat));
          expect(channel.intercepts[i]).toBeGreaterThanOrEqual(minCode(channel.interceptFormat));
          expect(channel.intercepts[i]).toBeLessThanOrEqual(maxCode(channel.interceptFormat));
        });
        // --exact-zero: the output at 0 is the code nearest f(0) (when the format holds f(0)).
        const f0 = generation.function.f(0);
        if (spec.exactZero && f0 >= toReal(minCode(channel.output), channel.output)) {
          if (f0 <= toReal(maxCode(channel.output), channel.output))
            expect(Math.abs(evaluate(design, 0) * step - f0)).toBeLessThanOrEqual(step / 2);
        }
        if (spec.method === "uniform") expect(Math.log2(channel.breakpoints.length) % 1).toBe(0);
        // The IR is what train --design reads back: it passes its own schema.
        expect(pwlDesignSchema.safeParse(design).success).toBe(true);
        expect(channel.breakpoints.length).toBeLessThanOrEqual(2 ** width(design.input));
      }),
      { numRuns: 1000, seed: 1130 },
    );
    console.log(
      `property designs: 1000 cases tried, ${seen.design} designs, ${seen.refused} refused, failures: 0`,
    );
    expect(seen.design).toBeGreaterThan(500);
  });
});
