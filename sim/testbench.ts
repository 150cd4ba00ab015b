import { firstErrorLine } from "./tools.js";
import type { SimResult, Simulator } from "./types.js";

/**
 * Reads what the generated testbench prints: MISMATCH lines, one RESULT line, then PASS
 * or FAIL. A run that prints no RESULT (a crash) counts as failed, with its first error line.
 */
export function parseTestbench(simulator: Simulator, output: string, seconds: number): SimResult {
  const lines = output.split("\n");
  const result = lines.map((line) => /^RESULT vectors=(\d+) mismatches=(\d+)/.exec(line)).find(Boolean);
  return {
    simulator,
    vectors: result ? Number(result[1]) : 0,
    mismatches: result ? Number(result[2]) : 0,
    passed: result !== undefined && lines.some((line) => line.trim() === "PASS"),
    firstMismatches: lines
      .filter((line) => line.startsWith("MISMATCH"))
      .map((line) => line.slice("MISMATCH ".length)),
    ...(result
      ? {}
      : {
          failure: {
            stage: "run" as const,
            message: firstErrorLine(output) ?? "the testbench printed nothing",
          },
        }),
    seconds,
  };
}
