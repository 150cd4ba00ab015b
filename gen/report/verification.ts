import { join } from "node:path";
import { FILE_LIMITS, readUserFile } from "../input/files.js";
import { lockDirectory } from "../output/lock.js";
import { writeTogether } from "../output/write.js";
import { readManifest } from "./manifest.js";
import { type VerificationRecord, verificationLines } from "./markdown.js";

/**
 * `pwlgen sim DIR` records what it ran in the unit, as `gen --verify` does: manifest.json's
 * `verification` and report.md's Verification section (which said "Not run here"). Only
 * those two files change, together, under the directory's lock; the module and its spec
 * hash, and so the unit's ownership, stay as they were.
 */
export function recordVerification(dir: string, results: readonly VerificationRecord[]): void {
  const lock = lockDirectory(dir, dir, "DIR");
  try {
    const manifestPath = join(dir, "manifest.json");
    const manifest = readManifest(manifestPath, "DIR") as Record<string, unknown> & {
      files: { testbench: string };
    };
    const verification = results.map(({ simulator, vectors, mismatches, passed }) => ({
      simulator,
      vectors,
      mismatches,
      passed,
    }));
    // Where gen --verify puts it: before specHash.
    const entries = Object.entries(manifest).filter(([key]) => key !== "verification");
    const at = entries.findIndex(([key]) => key === "specHash");
    entries.splice(at < 0 ? entries.length : at, 0, ["verification", verification]);
    const reportPath = join(dir, "report.md");
    const report = readUserFile(reportPath, { field: "DIR", value: dir, limit: FILE_LIMITS.manifest });
    writeTogether(dir, [
      [manifestPath, `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`],
      [reportPath, withVerificationSection(report, verification, manifest.files)],
    ]);
  } finally {
    lock.release();
  }
}

const HEADING = "## Verification\n\n";

/** report.md with its Verification section's body (up to the Vectors line) rewritten. */
export function withVerificationSection(
  report: string,
  verification: readonly VerificationRecord[],
  files: { readonly testbench?: string; readonly vhdlTestbench?: string },
): string {
  const start = report.indexOf(HEADING);
  const end = start < 0 ? -1 : report.indexOf("\n\nVectors: ", start);
  if (start < 0 || end < 0) return report;
  const body = verificationLines(verification, files).join("\n");
  return report.slice(0, start + HEADING.length) + body + report.slice(end);
}
