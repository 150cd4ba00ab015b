import { cpSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { canonicalJson } from "../spec/load.js";
import { UserError } from "../spec/errors.js";
import { claimDirectory, readSweepRows, writeSweepFiles } from "./run.js";
import type { SweepRow } from "./row.js";

/**
 * `pwlgen sweep merge DIR... --out-dir D`: joins the shards of a sweep. Rows are combined
 * by point number (a point in two shards must have the same row), sorted, and written with
 * the point directories, so D looks exactly like the unsharded sweep's directory.
 */
export async function mergeSweeps(
  dirs: readonly string[],
  outDir: string,
  force: boolean,
): Promise<SweepRow[]> {
  if (dirs.length === 0) throw new UserError("DIR", "", "is missing: give the sweep directories to merge");
  const target = resolve(outDir);
  claimDirectory(target, force);
  const byIndex = new Map<number, SweepRow>();
  const targets = new Set<string>();
  for (const dir of dirs) {
    for (const row of readSweepRows(dir)) {
      const existing = byIndex.get(row.index);
      if (existing && canonicalJson(existing) !== canonicalJson(row)) {
        throw new UserError(
          "DIR",
          dir,
          `disagrees with another shard on point ${row.index}; were they run with the same options?`,
        );
      }
      byIndex.set(row.index, row);
      Object.keys(row.synth).forEach((t) => targets.add(t));
      if (row.unit && resolve(dir) !== target && existsSync(join(dir, row.unit))) {
        cpSync(join(dir, row.unit), join(target, row.unit), { recursive: true });
      }
    }
  }
  const rows = [...byIndex.values()].sort((a, b) => a.index - b.index);
  const order = firstRowTargets(rows, targets);
  await writeSweepFiles(target, rows, order);
  return rows;
}

/** The synth targets in the order the sweep listed them (the first row's order). */
function firstRowTargets(rows: readonly SweepRow[], targets: Set<string>): string[] {
  const first = rows.find((row) => Object.keys(row.synth).length > 0);
  return first ? Object.keys(first.synth) : [...targets];
}
