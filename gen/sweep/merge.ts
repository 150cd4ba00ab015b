import { cpSync, existsSync } from "node:fs";
import { containsOrIs, realPath } from "../output/write.js";
import { join } from "node:path";
import { canonicalJson } from "../spec/load.js";
import { UserError } from "../spec/errors.js";
import { parseShard } from "./schema.js";
import { MARKER, type SweepMarker, markerText, readSweep, sweepFiles, sweepOwnership } from "./run.js";
import { stageDirectory } from "../output/write.js";
import type { SweepRow } from "./row.js";

/**
 * `pwlgen sweep merge DIR... --out-dir D`: joins the shards of a sweep. Every shard 1/n
 * .. n/n of the same sweep must be given once (their markers say which slice of how many
 * points each holds), and a point in two shards must have the same row. All of that is
 * checked before anything is written; then D gets the rows, sorted, with the point
 * directories, so it looks exactly like the unsharded sweep's directory.
 */
export async function mergeSweeps(
  dirs: readonly string[],
  outDir: string,
  force: boolean,
): Promise<SweepRow[]> {
  if (dirs.length === 0) throw new UserError("DIR", "", "is missing: give the sweep directories to merge");
  const shards = dirs.map((dir) => ({ dir, ...readSweep(dir) }));
  for (const { dir } of shards) {
    if (containsOrIs(realPath(dir), realPath(outDir))) {
      throw new UserError(
        "--out-dir",
        outDir,
        `is the sweep directory ${dir} or inside it; merge into a directory of its own`,
      );
    }
  }
  const first = shards[0]!;
  const count = parseShard(first.marker.shard).count;
  const total = first.marker.points;
  const taken = new Map<number, string>();
  for (const shard of shards) {
    const { index, count: n } = parseShard(shard.marker.shard);
    if (shard.marker.sweep === undefined) {
      throw new UserError(
        "DIR",
        shard.dir,
        "was written by an older pwlgen that did not record its shard; run that shard again",
      );
    }
    if (shard.marker.sweep !== first.marker.sweep) {
      throw new UserError(
        "DIR",
        shard.dir,
        `is a shard of another sweep than ${first.dir} (other functions, bounds, formats or options)`,
      );
    }
    if (n !== count || shard.marker.points !== total) {
      throw new UserError(
        "DIR",
        shard.dir,
        `is shard ${shard.marker.shard ?? "?"} of ${shard.marker.points ?? "?"} points, not one of ${count} shards of ${total ?? "?"} points like ${first.dir}`,
      );
    }
    const other = taken.get(index);
    if (other !== undefined)
      throw new UserError("DIR", shard.dir, `is shard ${index}/${n} again (as ${other})`);
    taken.set(index, shard.dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !taken.has(i));
  if (missing.length > 0) {
    throw new UserError(
      "DIR",
      dirs.join(" "),
      `${dirs.length === 1 ? "lacks" : "lack"} shard ${missing.map((i) => `${i}/${count}`).join(", ")}; merge needs every shard of the sweep`,
    );
  }

  const byIndex = new Map<number, { row: SweepRow; dir: string }>();
  for (const { dir, rows } of shards) {
    for (const row of rows) {
      const existing = byIndex.get(row.index);
      if (existing && canonicalJson(existing.row) !== canonicalJson(row)) {
        throw new UserError(
          "DIR",
          dir,
          `disagrees with another shard on point ${row.index}; were they run with the same options?`,
        );
      }
      byIndex.set(row.index, { row, dir });
    }
  }
  if (total !== undefined && byIndex.size !== total) {
    throw new UserError(
      "DIR",
      dirs.join(" "),
      `hold ${byIndex.size} of the sweep's ${total} points; was a shard interrupted?`,
    );
  }

  const entries = [...byIndex.values()].sort((a, b) => a.row.index - b.row.index);
  const rows = entries.map((e) => e.row);
  const marker: SweepMarker = { shard: "1/1", points: byIndex.size, sweep: first.marker.sweep! };
  // The merged sweep is staged beside --out-dir and renamed into place whole.
  const staged = stageDirectory(
    outDir,
    new Map([[MARKER, markerText(marker)], ...(await sweepFiles(rows, synthTargets(rows)))]),
    { force, owned: (dir) => sweepOwnership(dir, true) },
  );
  try {
    for (const { row, dir } of entries) {
      if (row.unit && existsSync(join(dir, row.unit))) {
        cpSync(join(dir, row.unit), join(staged.path, row.unit), { recursive: true });
      }
    }
  } catch (error) {
    staged.discard();
    throw error;
  }
  staged.commit();
  return rows;
}

/** The synth targets in the order the sweep listed them (the first synthesized row's order). */
function synthTargets(rows: readonly SweepRow[]): string[] {
  const first = rows.find((row) => Object.keys(row.synth).length > 0);
  return first ? Object.keys(first.synth) : [];
}
