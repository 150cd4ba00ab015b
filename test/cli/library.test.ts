import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/**
 * The library as a build script imports it: by package name, from the compiled dist/
 * (npm test builds first), not from the sources.
 */
describe('import { generate, evaluate } from "pwlgen"', () => {
  it("generates the README's unit and evaluates it", () => {
    const script = `
      import { generate, evaluate, formatName, UserError } from "pwlgen";
      const unit = generate({ function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "2^-10", method: "optimal" });
      let error;
      try { generate({ function: "sigmoid", in: "q4.12", out: "u1.15", maxError: 0.01 }); } catch (e) { error = e; }
      console.log(JSON.stringify({
        segments: unit.design.y.breakpoints.length,
        atZero: evaluate(unit.design, 0),
        slope: formatName(unit.design.y.slopeFormat),
        userError: error instanceof UserError ? error.field : null,
      }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    const result = JSON.parse(out) as { segments: number; atZero: number; slope: string; userError: string };
    // sigmoid is point-symmetric: the folded table needs 10 of the 19 segments.
    expect(result.segments).toBe(10);
    // sigmoid(0) = 0.5 = 16384 in u1.15, and the unit is within 2^-10 = 32 ulp of it.
    expect(Math.abs(result.atZero - 16384)).toBeLessThanOrEqual(32);
    expect(result.userError).toBe("--in");
  });
});
