/**
 * One row of sweep.csv / sweep.json: a point's spec, its outcome, and the numbers of its
 * manifest.json (read from the manifest, so rows and manifests always agree). No wall-clock
 * times: the same sweep gives the same bytes, sharded or not.
 */
export interface SweepRow {
  readonly index: number;
  readonly function: string;
  readonly method: string;
  /** The target auto and optimal chose for (null for the methods that ignore it). */
  readonly target: string | null;
  /** The table's architecture in words (manifest.json's architecture.summary). */
  readonly architecture: string | null;
  /** ROM entries: one per segment, or per cell of an index select. */
  readonly romEntries: number | null;
  readonly symmetry: string;
  readonly in: string;
  readonly out: string;
  readonly pipeline: number;
  readonly rounding: string;
  /** Whether the output at x = 0 is pinned to f(0)'s nearest code (--exact-zero). */
  readonly exactZero: boolean;
  /** The bound asked for, or (for a segment budget) the bound the design reaches. */
  readonly maxErrorBound: number | null;
  readonly segmentBudget: number | null;
  /** ok, infeasible (the spec cannot be met: message says why), or failed (a check or tool failed). */
  readonly status: "ok" | "infeasible" | "failed";
  readonly message: string;
  readonly segments: number | null;
  readonly fold: string | null;
  readonly errorsMax: number | null;
  readonly errorsMean: number | null;
  readonly errorsRms: number | null;
  readonly errorsMaxUlp: number | null;
  readonly slopeFormat: string | null;
  readonly interceptFormat: string | null;
  readonly slopeBits: number | null;
  readonly interceptBits: number | null;
  readonly romBits: number | null;
  readonly comparators: number | null;
  readonly treeDepth: number | null;
  readonly latency: number;
  readonly verified: boolean | null;
  /** Cell counts of the first --synth target (empty when not synthesized). */
  readonly lut: number | null;
  readonly carry: number | null;
  readonly dsp: number | null;
  readonly bram: number | null;
  readonly ff: number | null;
  readonly fmax: number | null;
  /** Every synthesized target's counts. */
  readonly synth: Readonly<Record<string, SweepSynth>>;
  readonly specHash: string | null;
  /** The point's directory (unit files and row.json), relative to the sweep directory. */
  readonly unit: string;
  /**
   * The point's design options as the sweep gave them (bounds as written, e.g. "2^-6"):
   * `pwlgen gen` with these rebuilds the unit (same spec hash). Not a CSV column.
   */
  readonly spec: Readonly<Record<string, string | boolean>>;
}

/**
 * A target's numbers in a row: its cell counts, and with --fmax the Fmax (MHz) and the delay
 * of the critical path it comes from (ns).
 */
export interface SweepSynth {
  readonly lut: number;
  readonly carry: number;
  readonly dsp: number;
  readonly bram: number;
  readonly ff: number;
  readonly fmaxMHz?: number;
  readonly criticalPathNs?: number;
}

/** CSV columns, in order; per-target columns follow as <target>_lut, _carry, _dsp, _bram, _ff, _fmax. */
export const COLUMNS: readonly (keyof SweepRow)[] = [
  "index",
  "function",
  "method",
  "target",
  "architecture",
  "symmetry",
  "in",
  "out",
  "pipeline",
  "rounding",
  "exactZero",
  "maxErrorBound",
  "segmentBudget",
  "status",
  "segments",
  "fold",
  "errorsMax",
  "errorsMean",
  "errorsRms",
  "errorsMaxUlp",
  "slopeFormat",
  "interceptFormat",
  "slopeBits",
  "interceptBits",
  "romBits",
  "romEntries",
  "comparators",
  "treeDepth",
  "latency",
  "verified",
  "lut",
  "carry",
  "dsp",
  "bram",
  "ff",
  "fmax",
  "specHash",
  "unit",
  "message",
];

export function toCsv(rows: readonly SweepRow[], targets: readonly string[]): string {
  const targetColumns = targets.flatMap((t) =>
    ["lut", "carry", "dsp", "bram", "ff", "fmax"].map((c) => `${t}_${c}`),
  );
  const header = [...COLUMNS, ...targetColumns];
  const lines = [header.join(",")];
  for (const row of rows) {
    const cells = COLUMNS.map((column) => csvCell(row[column]));
    for (const target of targets) {
      const counts = row.synth[target];
      cells.push(
        ...(["lut", "carry", "dsp", "bram", "ff", "fmaxMHz"] as const).map((c) =>
          csvCell(counts?.[c] ?? null),
        ),
      );
    }
    lines.push(cells.join(","));
  }
  return `${lines.join("\n")}\n`;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return "";
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
