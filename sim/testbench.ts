import { firstErrorLine } from "./tools.js";
import type { SimResult, Simulator } from "./types.js";

/**
 * Reads what the generated testbench prints: MISMATCH lines, one RESULT line, then PASS
 * or FAIL. A run that prints no RESULT (a crash) counts as failed, with its first error line.
 */
export function parseTestbench(simulator: Simulator, output: string, seconds: number): SimResult {
  const lines = output.split("\n");
  const result = lines.map((line) => /^RESULT vectors=(\d+) mismatches=(\d+)/.exec(line)).find(Boolean);
  const passed = result !== undefined && lines.some((line) => line.trim() === "PASS");
  const diagnostics = passed ? [] : simulatorDiagnostics(lines);
  return {
    simulator,
    vectors: result ? Number(result[1]) : 0,
    mismatches: result ? Number(result[2]) : 0,
    passed,
    ...(diagnostics.length > 0 ? { diagnostics } : {}),
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

/** At most this many of a failed run's own error and warning lines are kept. */
const MAX_DIAGNOSTICS = 5;

/** The simulator's error and warning lines, not the testbench's (MISMATCH, RESULT, PASS, FAIL). */
function simulatorDiagnostics(lines: readonly string[]): string[] {
  return lines
    .map((line) => line.trim())
    .filter((line) => /\b(error|warning)\b/i.test(line) && !/^(MISMATCH|RESULT)\b/.test(line))
    .slice(0, MAX_DIAGNOSTICS);
}

/** A mismatch on one input code, as the testbench printed it (hex digits, lower case). */
export interface Mismatch {
  readonly x: string;
  readonly expected: string;
  readonly got: string;
}

const MISMATCH = /^x=([0-9a-fA-FxXzZuU-]+) expected=([0-9a-fA-FxXzZuU-]+) got=([0-9a-fA-FxXzZuU-]+)/;

/** The first mismatching input code of a run, if its first mismatch was one (not a valid-timing one). */
export function firstMismatch(result: Pick<SimResult, "firstMismatches">): Mismatch | undefined {
  const match = MISMATCH.exec(result.firstMismatches[0] ?? "");
  return match
    ? { x: match[1]!.toLowerCase(), expected: match[2]!.toLowerCase(), got: match[3]!.toLowerCase() }
    : undefined;
}
