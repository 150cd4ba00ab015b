import type { SimResult, Simulator } from "./types.js";

/**
 * Reads what the generated testbench prints: MISMATCH lines, one RESULT line, then PASS
 * or FAIL. A run that prints no RESULT (crash, build failure) counts as failed.
 */
export function parseTestbench(simulator: Simulator, output: string, seconds: number): SimResult {
  const lines = output.split("\n");
  const result = lines.map((line) => /^RESULT vectors=(\d+) mismatches=(\d+)/.exec(line)).find(Boolean);
  const vectors = result ? Number(result[1]) : 0;
  const mismatches = result ? Number(result[2]) : 0;
  return {
    simulator,
    vectors,
    mismatches,
    passed: result !== undefined && lines.some((line) => line.trim() === "PASS"),
    firstMismatches: lines
      .filter((line) => line.startsWith("MISMATCH"))
      .map((line) => line.slice("MISMATCH ".length)),
    seconds,
  };
}
