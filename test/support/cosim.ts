import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { width } from "../../gen/fixed/format.js";
import { type Generation, generate } from "../../gen/generate.js";
import type { DesignSpecInput } from "../../gen/spec/schema.js";
import { writeUnit } from "../../gen/write.js";
import { verifyUnit } from "../../sim/verify.js";

/**
 * Generates a unit into a scratch directory and runs the bit-exact check in both
 * simulators: lint must be clean, every vector must match, and an exhaustive unit must
 * have had every input code simulated.
 */
export async function cosimulate(spec: DesignSpecInput): Promise<Generation> {
  const dir = mkdtempSync(join(tmpdir(), "pwlgen-cosim-"));
  try {
    const generation = generate(spec);
    const written = await writeUnit(generation, { outDir: join(dir, "unit") });
    const verification = await verifyUnit(written.dir, "all");
    for (const lint of verification.lint) expect(lint.messages, lint.command).toEqual([]);
    expect(verification.results.map((r) => r.simulator)).toEqual(["iverilog", "verilator"]);
    for (const result of verification.results) {
      expect(result.firstMismatches, result.simulator).toEqual([]);
      expect(result.mismatches).toBe(0);
      expect(result.vectors).toBe(written.unit.vectors.count);
      expect(result.passed).toBe(true);
    }
    if (written.unit.vectors.exhaustive)
      expect(written.unit.vectors.count).toBe(2 ** width(generation.design.input));
    expect(verification.passed).toBe(true);
    return generation;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
