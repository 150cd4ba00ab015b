import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { maxCode, minCode, toReal, ulp } from "../../gen/fixed/format.js";
import { generate } from "../../gen/generate.js";
import { evaluate } from "../../gen/model/golden.js";
import { UserError } from "../../gen/spec/errors.js";
import { MESSAGE, argvArbitrary, mutatedArbitrary, runQuietly, specArbitrary } from "../support/fuzz.js";

/**
 * Fuzzing the front door. Thousands of random and mutated specs (library) and argument
 * lists (CLI): each either yields a design whose golden model meets its bound on every
 * code, or stops with a UserError / exit code 2 and one line naming a field and showing
 * its value. Never a stack trace, never files after an error. Failures print their seed;
 * keep them in REGRESSIONS below.
 */
const dir = mkdtempSync(join(tmpdir(), "pwlgen-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function checkDesign(spec: Record<string, unknown>): "design" | "refused" {
  let generation;
  try {
    generation = generate(spec as Parameters<typeof generate>[0]);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    expect(error.message).toMatch(MESSAGE);
    expect(error.message).not.toContain("\n");
    return "refused";
  }
  const { design } = generation;
  const f = generation.function.f;
  const step = ulp(design.y.output);
  for (let x = minCode(design.input); x <= maxCode(design.input); x++) {
    expect(Math.abs(evaluate(design, x) * step - f(toReal(x, design.input)))).toBeLessThanOrEqual(
      design.y.bound,
    );
  }
  return "design";
}

describe("fuzzing the spec parser and generator", () => {
  it("random specs: a design within its bound on every code, or a one-line UserError", () => {
    const seen = { design: 0, refused: 0 };
    fc.assert(
      fc.property(specArbitrary, (spec) => {
        seen[checkDesign(spec)]++;
      }),
      { numRuns: 2000, seed: 20261130 },
    );
    console.log(`fuzz specs: 2000 cases tried, ${seen.design} designs, ${seen.refused} refused, failures: 0`);
    expect(seen.design).toBeGreaterThan(300);
  });

  it("mutated valid specs", () => {
    const seen = { design: 0, refused: 0 };
    fc.assert(
      fc.property(mutatedArbitrary, (spec) => {
        seen[checkDesign(spec)]++;
      }),
      { numRuns: 1500, seed: 7 },
    );
    console.log(
      `fuzz mutated specs: 1500 cases tried, ${seen.design} designs, ${seen.refused} refused, failures: 0`,
    );
    expect(seen.design).toBeGreaterThan(500);
  });
});

describe("fuzzing the command line", () => {
  it("random argument lists: exit 0 with a unit, or exit 2 with one error line and no files", async () => {
    let count = 0;
    const codes = { 0: 0, 2: 0 };
    await fc.assert(
      fc.asyncProperty(argvArbitrary, async (groups) => {
        const out = join(dir, `cli-${count++}`);
        const args = ["gen", ...groups.flat(), "--out-dir", out];
        const { code, stderr } = await runQuietly(args);
        expect([0, 2], `${args.join(" ")}\n${stderr.join("\n")}`).toContain(code);
        codes[code as 0 | 2]++;
        if (code === 2) {
          expect(stderr).toHaveLength(1);
          expect(stderr[0]).toMatch(/^pwlgen: error: /);
          expect(stderr[0]).not.toMatch(/\n| {4}at /);
          expect(
            readdirSync(dir).filter(
              (name) => name.startsWith(`cli-${count - 1}`) || name.includes(`cli-${count - 1}.`),
            ),
          ).toEqual([]);
        } else {
          expect(readdirSync(out)).toContain("manifest.json");
          rmSync(out, { recursive: true, force: true });
        }
      }),
      { numRuns: 1000, seed: 42 },
    );
    console.log(`fuzz command lines: 1000 cases tried, ${codes[0]} units, ${codes[2]} refused, failures: 0`);
    expect(codes[0]).toBeGreaterThan(100);
  });
});
