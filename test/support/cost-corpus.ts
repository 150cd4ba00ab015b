import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { estimateCost } from "../../gen/cost/model.js";
import { type Accuracy, accuracy } from "../../gen/cost/fit.js";
import type { PwlDesign } from "../../gen/design/ir.js";
import { generate } from "../../gen/generate.js";
import { PACKAGE_ROOT } from "../../gen/paths.js";
import { renderModule } from "../../gen/rtl/render.js";
import type { DesignSpecInput } from "../../gen/spec/schema.js";
import { TARGET_NAMES, type TargetName } from "../../gen/synth/targets.js";

/**
 * The cost model's calibration corpus (test/fixtures/cost-corpus.json): designs kept as
 * specs that pin every architecture option (no --method auto, so a change to the search
 * does not change them), each with the Yosys cell counts of its Verilog per target.
 * scripts/cost-corpus.ts fills in the counts and fits the model; test/unit/cost.test.ts
 * and the bench read them back and compare the model's estimates.
 *
 * Each entry records the spec hash and a hash of the Verilog it was synthesized from
 * (comments left out, so a reworded comment changes nothing): when the generator builds
 * different hardware for a spec, the entry is stale and its counts no longer apply.
 */
export const CORPUS_PATH = join(PACKAGE_ROOT, "test", "fixtures", "cost-corpus.json");

/** The command that refreshes stale or missing entries (and refits the model). */
export const REFRESH_COMMAND = "npm run cost-corpus";

const countsSchema = z
  .object({
    lut: z.number().int().nonnegative(),
    carry: z.number().int().nonnegative(),
    dsp: z.number().int().nonnegative(),
    bram: z.number().int().nonnegative(),
    ff: z.number().int().nonnegative(),
    cells: z.record(z.string(), z.number().int().nonnegative()),
  })
  .strict();

const entrySchema = z
  .object({
    name: z.string().min(1),
    spec: z.record(z.string(), z.unknown()),
    specHash: z.string().optional(),
    rtlHash: z.string().optional(),
    yosys: z.partialRecord(z.enum(TARGET_NAMES), countsSchema),
  })
  .strict();

const corpusSchema = z
  .object({
    about: z.string(),
    yosys: z.string(),
    designs: z.array(entrySchema),
  })
  .strict();

export type YosysCounts = z.infer<typeof countsSchema>;
export type CorpusEntry = z.infer<typeof entrySchema>;
export type Corpus = z.infer<typeof corpusSchema>;

export function readCorpus(path = CORPUS_PATH): Corpus {
  const corpus = corpusSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  const names = new Set<string>();
  for (const entry of corpus.designs) {
    if (names.has(entry.name)) throw new Error(`${path}: design "${entry.name}" appears twice`);
    names.add(entry.name);
  }
  return corpus;
}

/** Writes the corpus (same content, same bytes), through a temporary file renamed into place. */
export function writeCorpus(corpus: Corpus, path = CORPUS_PATH): void {
  const ordered: Corpus = {
    about: corpus.about,
    yosys: corpus.yosys,
    designs: corpus.designs.map((entry) => ({
      name: entry.name,
      spec: entry.spec,
      ...(entry.specHash !== undefined ? { specHash: entry.specHash } : {}),
      ...(entry.rtlHash !== undefined ? { rtlHash: entry.rtlHash } : {}),
      yosys: Object.fromEntries(
        TARGET_NAMES.filter((t) => entry.yosys[t]).map((t) => {
          const c = entry.yosys[t]!;
          return [
            t,
            { lut: c.lut, carry: c.carry, dsp: c.dsp, bram: c.bram, ff: c.ff, cells: sorted(c.cells) },
          ];
        }),
      ),
    })),
  };
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(ordered, null, 2)}\n`);
  renameSync(temporary, path);
}

function sorted(cells: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(cells).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A corpus design regenerated from its spec, with the hashes that say whether its counts apply. */
export interface Regenerated {
  readonly design: PwlDesign;
  readonly verilog: string;
  readonly specHash: string;
  readonly rtlHash: string;
}

export function regenerate(entry: CorpusEntry): Regenerated {
  const design = generate(entry.spec as DesignSpecInput).design;
  const verilog = renderModule(design);
  return { design, verilog, specHash: design.specHash, rtlHash: rtlHash(verilog) };
}

/** SHA-256 of the Verilog without its comments and with whitespace collapsed: what Yosys reads. */
export function rtlHash(verilog: string): string {
  const code = verilog
    .split("\n")
    .map((line) => line.replace(/\/\/.*$/, "").trim())
    .filter((line) => line !== "")
    .join("\n")
    .replace(/[ \t]+/g, " ");
  return createHash("sha256").update(code).digest("hex");
}

/** Whether an entry's recorded hashes are those of the design its spec now gives. */
export function isStale(entry: CorpusEntry, regenerated: Regenerated): boolean {
  return entry.specHash !== regenerated.specHash || entry.rtlHash !== regenerated.rtlHash;
}

/** The quantities the model estimates and Yosys counts. */
export const QUANTITIES = ["lut", "carry", "dsp", "bram", "ff"] as const;
export type Quantity = (typeof QUANTITIES)[number];

/** Estimate against Yosys for every measured design of a target. */
export interface Comparison {
  readonly target: TargetName;
  readonly rows: readonly {
    readonly name: string;
    readonly estimate: Record<Quantity, number>;
    readonly yosys: YosysCounts;
  }[];
}

export function compare(
  entries: readonly CorpusEntry[],
  designs: readonly PwlDesign[],
  target: TargetName,
): Comparison {
  const rows = entries.flatMap((entry, i) => {
    const yosys = entry.yosys[target];
    if (!yosys) return [];
    const e = estimateCost(designs[i]!, target);
    return [
      {
        name: entry.name,
        estimate: { lut: e.lut, carry: e.carry, dsp: e.dsp, bram: e.bram, ff: e.ff },
        yosys,
      },
    ];
  });
  return { target, rows };
}

/**
 * Per quantity: accuracy of the estimates, over every design or, with `nonzero`, over the
 * designs Yosys gives some of it (most designs have no carry cells on generic and no
 * flip-flops without --pipeline, which would make any median 0).
 */
export function comparisonAccuracy(comparison: Comparison, quantity: Quantity, nonzero = false): Accuracy {
  const rows = comparison.rows.filter((r) => !nonzero || r.yosys[quantity] > 0);
  return accuracy(
    rows.map((r) => r.estimate[quantity]),
    rows.map((r) => r.yosys[quantity]),
  );
}

/** A markdown table of the estimate-vs-Yosys accuracy per target. */
export function accuracyTable(comparisons: readonly Comparison[]): string[] {
  const lines = [
    "| target | designs | LUT Spearman | LUT median rel. error | LUT p90 | LUT sum est/Yosys | DSP exact | BRAM exact | carry exact | carry median rel. error (with carry) | FF exact | FF median rel. error (with FFs) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const pct = (x: number): string => (Number.isNaN(x) ? "-" : `${(100 * x).toFixed(1)}%`);
  for (const c of comparisons) {
    const lut = comparisonAccuracy(c, "lut");
    const exact = (q: Quantity): string => {
      const a = comparisonAccuracy(c, q);
      return `${a.exact}/${a.designs}`;
    };
    lines.push(
      `| ${c.target} | ${lut.designs} | ${lut.spearman.toFixed(3)} | ${pct(lut.medianRelativeError)} | ${pct(lut.p90RelativeError)} | ${lut.totalRatio.toFixed(3)} | ${exact("dsp")} | ${exact("bram")} | ${exact("carry")} | ${pct(comparisonAccuracy(c, "carry", true).medianRelativeError)} | ${exact("ff")} | ${pct(comparisonAccuracy(c, "ff", true).medianRelativeError)} |`,
    );
  }
  return lines;
}

/**
 * How often the estimate orders alternatives as Yosys does: within each group of designs
 * (e.g. the methods at one point of the README's sweep), the pairs whose LUT order agrees,
 * and the groups whose estimated cheapest is a Yosys cheapest.
 */
export function rankingWithinGroups(
  comparison: Comparison,
  groupOf: (name: string) => string | undefined,
): { pairs: number; agreeing: number; groups: number; bestFound: number } {
  const groups = new Map<string, Comparison["rows"][number][]>();
  for (const row of comparison.rows) {
    const key = groupOf(row.name);
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  let pairs = 0;
  let agreeing = 0;
  let bestFound = 0;
  for (const rows of groups.values()) {
    for (let i = 0; i < rows.length; i++) {
      for (let j = i + 1; j < rows.length; j++) {
        pairs++;
        const estimated = Math.sign(rows[i]!.estimate.lut - rows[j]!.estimate.lut);
        if (estimated === Math.sign(rows[i]!.yosys.lut - rows[j]!.yosys.lut)) agreeing++;
      }
    }
    const chosen = rows.reduce((best, row) => (row.estimate.lut < best.estimate.lut ? row : best));
    if (chosen.yosys.lut === Math.min(...rows.map((row) => row.yosys.lut))) bestFound++;
  }
  return { pairs, agreeing, groups: groups.size, bestFound };
}
