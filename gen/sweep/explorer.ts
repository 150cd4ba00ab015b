import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile, type TopLevelSpec } from "vega-lite";
import { TEMPLATE_DIR, TOOL_NAME, TOOL_VERSION } from "../paths.js";
import { kebab } from "../spec/load.js";
import { showReal } from "../spec/bound.js";
import { counted } from "../text.js";
import { EXPLORER_FILE } from "./names.js";
import type { SweepRow } from "./row.js";

export { EXPLORER_FILE };

/**
 * index.html, the sweep explorer: one self-contained page (Vega's browser build, the two
 * charts compiled from Vega-Lite here, the rows and the page script all inline), so it
 * works opened from disk with no network. Only the units' own plot.svg files are read
 * beside it (points/<key>/plot.svg). Everything is computed here and in Vega; the page
 * script only filters, sorts and shows. The same rows give the same bytes.
 */

/** A row as the page shows it: what the table, the charts and the detail panel read. */
export interface ExplorerPoint {
  readonly index: number;
  readonly function: string;
  readonly method: string;
  readonly target: string;
  readonly format: string;
  readonly bound: string;
  readonly status: string;
  readonly segments: number | null;
  readonly errorsMax: number | null;
  readonly errorsMaxUlp: number | null;
  readonly errorsMean: number | null;
  readonly romBits: number | null;
  readonly comparators: number | null;
  readonly latency: number;
  readonly cost: number | null;
  readonly dsp: number | null;
  readonly verified: string;
  readonly architecture: string;
  readonly specHash: string;
  readonly command: string;
  readonly summary: readonly string[];
  /** plot.svg of the point's unit, relative to the page; empty when the point has no unit. */
  readonly plot: string;
}

/** The options of `pwlgen gen`, in the order the rebuild command gives them. */
const COMMAND_ORDER = [
  "function",
  "in",
  "out",
  "maxError",
  "segments",
  "method",
  "target",
  "symmetry",
  "pipeline",
  "rounding",
  "exactZero",
];

/** A word for a POSIX shell: bare when it holds only safe characters, else single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.,/:=+@%-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `pwlgen gen` command that rebuilds a point's unit (the same spec, so the same spec
 * hash) into rtl-out/<point key>. Rows of sweeps written before rows carried their spec
 * are described from their columns.
 */
export function rebuildCommand(row: SweepRow): string {
  const spec: Record<string, string | boolean> = row.spec
    ? { ...row.spec }
    : {
        function: row.function,
        in: row.in,
        out: row.out,
        ...(row.segmentBudget !== null
          ? { segments: String(row.segmentBudget) }
          : row.maxErrorBound !== null
            ? { maxError: String(row.maxErrorBound) }
            : {}),
        method: row.method,
        ...(row.target ? { target: row.target } : {}),
        symmetry: row.symmetry,
        pipeline: String(row.pipeline),
        rounding: row.rounding,
        ...(row.exactZero ? { exactZero: true } : {}),
      };
  const keys = [
    ...COMMAND_ORDER.filter((key) => key in spec),
    ...Object.keys(spec).filter((key) => !COMMAND_ORDER.includes(key)),
  ];
  const words = [TOOL_NAME, "gen"];
  for (const key of keys) {
    const value = spec[key]!;
    if (value === false) continue;
    words.push(`--${kebab(key)}`);
    if (value !== true) words.push(value);
  }
  words.push("--out-dir", `rtl-out/${row.unit.replace(/^points\//, "")}`);
  return words.map(shellWord).join(" ");
}

/** The bound as the user wrote it (a segment budget reads "4 segments"). */
export function boundAsWritten(row: SweepRow): string {
  if (row.spec?.segments !== undefined) return `${counted(Number(row.spec.segments), "segment")}`;
  if (typeof row.spec?.maxError === "string") return row.spec.maxError;
  if (row.segmentBudget !== null) return counted(row.segmentBudget, "segment");
  return row.maxErrorBound !== null ? showReal(row.maxErrorBound) : "";
}

const num = (value: number | null, digits = 4): string => (value === null ? "-" : value.toPrecision(digits));

/** The report's summary of a point, in a few lines (from its row, which its manifest filled). */
function summary(row: SweepRow): string[] {
  const head = `${row.function} ${row.in} -> ${row.out}, ${row.method}${row.target ? ` for ${row.target}` : ""}, bound ${boundAsWritten(row)}, symmetry ${row.symmetry}, pipeline ${row.pipeline}, rounding ${row.rounding}${row.exactZero ? ", exact zero" : ""}`;
  if (row.status !== "ok") return [head, `${row.status}: ${row.message}`];
  const lines = [
    head,
    `${counted(row.segments ?? 0, "segment")}${row.fold && row.fold !== "none" ? ` (folded ${row.fold})` : ""}: ${row.architecture ?? ""}`,
    `max error ${num(row.errorsMax)} (${row.errorsMaxUlp === null ? "-" : row.errorsMaxUlp.toFixed(2)} ulp) within bound ${row.maxErrorBound === null ? "-" : showReal(row.maxErrorBound)}, mean ${num(row.errorsMean)}, rms ${num(row.errorsRms)}`,
    `slope ${row.slopeFormat}, intercept ${row.interceptFormat}, ROM ${row.romBits} bits${row.romEntries !== null && row.romEntries !== row.segments ? ` (${row.romEntries} entries)` : ""}, ${counted(row.comparators ?? 0, "comparator")} (depth ${row.treeDepth}), latency ${row.latency}`,
    row.verified === null
      ? "not simulated (sweep without --verify)"
      : row.verified
        ? "verified: RTL equals the golden model on every vector"
        : `verification FAILED: ${row.message}`,
  ];
  for (const [target, s] of Object.entries(row.synth)) {
    lines.push(
      `${target}: ${counted(s.lut, "LUT")}, ${s.carry} carry, ${counted(s.dsp, "DSP")}, ${counted(s.bram, "BRAM")}, ${counted(s.ff, "FF")}` +
        (s.fmaxMHz !== undefined ? `, Fmax ${s.fmaxMHz.toFixed(1)} MHz` : ""),
    );
  }
  lines.push(`spec hash ${row.specHash}`);
  return lines;
}

export function explorerPoints(rows: readonly SweepRow[], targets: readonly string[]): ExplorerPoint[] {
  const costTarget = targets[0];
  return rows.map((row) => ({
    index: row.index,
    function: row.function,
    method: row.method,
    target: row.target ?? "-",
    format: `${row.in}->${row.out}`,
    bound: boundAsWritten(row),
    status: row.status,
    segments: row.segments,
    errorsMax: row.errorsMax,
    errorsMaxUlp: row.errorsMaxUlp,
    errorsMean: row.errorsMean,
    romBits: row.romBits,
    comparators: row.comparators,
    latency: row.latency,
    cost: costTarget ? (row.synth[costTarget]?.lut ?? null) : row.romBits,
    dsp: costTarget ? (row.synth[costTarget]?.dsp ?? null) : null,
    verified: row.verified === null ? "-" : row.verified ? "yes" : "NO",
    architecture: row.architecture ?? "",
    specHash: row.specHash ?? "",
    command: rebuildCommand(row),
    summary: summary(row),
    plot: row.status === "ok" ? `${row.unit}/plot.svg` : "",
  }));
}

/**
 * A chart of one quantity against the error reached, a panel per function, a colour per
 * method; the page feeds it the visible points as the data set "points", each with `front`
 * (on its function's Pareto front among them) and `selected`. Marks are named for the
 * page and its test: points_marks (one symbol per point), front_marks, selected_marks.
 */
function chart(title: string, y: string, yTitle: string, logY: boolean): TopLevelSpec {
  const x = {
    field: "errorsMax",
    type: "quantitative",
    scale: { type: "log" as const },
    title: "max error reached",
  } as const;
  const yAxis = {
    field: y,
    type: "quantitative",
    title: yTitle,
    ...(logY ? { scale: { type: "log" as const } } : {}),
  } as const;
  return {
    title,
    data: { name: "points" },
    facet: { field: "function", type: "nominal", title: null },
    columns: 4,
    spec: {
      width: 220,
      height: 180,
      layer: [
        {
          name: "front",
          transform: [{ filter: "datum.front" }],
          mark: { type: "line", interpolate: "step-after", color: "black", strokeDash: [4, 2] },
          encoding: { x, y: yAxis, order: { field: "errorsMax", type: "quantitative" } },
        },
        {
          name: "points",
          mark: { type: "point", filled: true, size: 45, cursor: "pointer" },
          encoding: {
            x,
            y: yAxis,
            color: { field: "method", type: "nominal", title: "method" },
            shape: { field: "front", type: "nominal", title: "Pareto front" },
            tooltip: [
              { field: "method", type: "nominal" },
              { field: "format", type: "nominal" },
              { field: "bound", type: "nominal" },
              { field: y, type: "quantitative", title: yTitle },
              { field: "errorsMax", type: "quantitative", title: "max error", format: ".4g" },
            ],
          },
        },
        {
          name: "selected",
          transform: [{ filter: "datum.selected" }],
          mark: { type: "point", size: 260, strokeWidth: 2, color: "black", filled: false },
          encoding: { x, y: yAxis },
        },
      ],
    },
    config: { font: "sans-serif" },
  };
}

/** The two charts as Vega specs (compiled here, so the page needs only Vega). */
function charts(targets: readonly string[]): { segments: unknown; cost: unknown; costTitle: string } {
  const costTitle = targets[0] ? `${targets[0]} LUTs` : "ROM bits";
  return {
    segments: compile(chart("Segments against the error reached", "segments", "segments", true)).spec,
    cost: compile(
      chart(
        `Cost against the error reached (${targets[0] ? `Yosys, ${targets[0]}` : "no --synth: ROM bits"})`,
        "cost",
        costTitle,
        false,
      ),
    ).spec,
    costTitle,
  };
}

/** Vega's browser build (UMD, self-contained), from the installed package. */
function vegaBrowserBuild(): string {
  const module = fileURLToPath(import.meta.resolve("vega"));
  return readFileSync(join(dirname(module), "vega.min.js"), "utf8");
}

/** JSON inside a <script> element: "<" escaped so no "</script>" can end it early. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c");
/** Script text inside a <script> element. */
const scriptText = (text: string): string => text.replace(/<\/(script)/gi, "<\\/$1");

export function explorerPage(rows: readonly SweepRow[], targets: readonly string[]): string {
  const template = (name: string) => readFileSync(join(TEMPLATE_DIR, "explorer", name), "utf8");
  const data = {
    tool: `${TOOL_NAME} ${TOOL_VERSION}`,
    targets,
    points: explorerPoints(rows, targets),
    charts: charts(targets),
  };
  const vegaVersion = (
    JSON.parse(
      readFileSync(join(dirname(fileURLToPath(import.meta.resolve("vega"))), "..", "package.json"), "utf8"),
    ) as { version: string }
  ).version;
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta name="generator" content="${TOOL_NAME} ${TOOL_VERSION}">`,
    // Nothing may be fetched but this folder's files: no network even by accident.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src 'self' data: file:">`,
    `<title>${TOOL_NAME} sweep explorer (${counted(rows.length, "point")})</title>`,
    `<style>\n${template("explorer.css")}</style>`,
    "</head>",
    "<body>",
    template("explorer.html"),
    `<script id="sweep-data" type="application/json">${scriptJson(data)}</script>`,
    `<!-- Vega ${vegaVersion}, https://vega.github.io/vega/ (BSD-3-Clause) -->`,
    `<script>\n${scriptText(vegaBrowserBuild())}\n</script>`,
    `<script>\n${scriptText(template("explorer.js"))}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
