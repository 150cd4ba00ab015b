import { runYosys } from "@yowasp/yosys";
import type { PwlDesign } from "../design/ir.js";
import { renderModule } from "../rtl/render.js";
import { UserError } from "../spec/errors.js";
import { registerMeasure } from "./measure.js";
import type { CriticalPath } from "./timing.js";
import { type CellCounts, type TargetName, TARGETS, countCells } from "./targets.js";

/**
 * FPGA cost from Yosys (the @yowasp/yosys WebAssembly build, through its JavaScript API):
 * synthesize the unit with the target's command (gen/synth/targets.ts) and count the cells
 * of `stat -json` by the target's classes.
 */
export interface SynthResult extends CellCounts {
  readonly target: TargetName;
  /** Fmax in MHz after place and route: 1000 / criticalPath.delayNs (with --fmax only). */
  readonly fmaxMHz?: number;
  /** The slowest register-to-register path nextpnr timed (with --fmax only). */
  readonly criticalPath?: CriticalPath;
}

/** The target names, as sweeps and older callers import them. */
export type { TargetName as SynthTarget } from "./targets.js";

/** Runs Yosys on Verilog sources; returns the cell counts of module `top`. */
export async function synthesize(
  sources: Readonly<Record<string, string>>,
  top: string,
  target: TargetName,
): Promise<SynthResult> {
  const script = `${reads(sources)}; ${TARGETS[target].yosys} -top ${top}; tee -q -o stat.json stat -json`;
  const { files, log } = await yosys(["-q", "-p", script], sources);
  const stat = files["stat.json"];
  if (stat === undefined) throw new Error(`yosys produced no statistics for ${top}:\n${log}`);
  return { target, ...countCells(target, cellsOf(JSON.parse(stat) as YosysStat, top)) };
}

/**
 * Loads Yosys's resources (once) so that it can run synchronously, and registers the
 * synchronous measure `--select-by yosys` ranks finalists with (gen/synth/measure.ts).
 */
export async function prepareYosys(): Promise<void> {
  await (runYosys as (args?: null) => Promise<unknown>)(null);
  registerMeasure(synthesizeDesignSync);
}

/** Yosys's cell counts for a design, synchronously (after prepareYosys). */
function synthesizeDesignSync(design: PwlDesign, target: TargetName): SynthResult {
  const top = design.module;
  const sources = { [`${top}.v`]: renderModule(design) };
  const script = `${reads(sources)}; ${TARGETS[target].yosys} -top ${top}; tee -q -o stat.json stat -json`;
  let log = "";
  const collect = (chunk: Uint8Array | string | null): void => {
    if (chunk) log += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
  };
  const run = runYosys as unknown as (
    args: string[],
    files: Record<string, string>,
    options: { stdout: typeof collect; stderr: typeof collect; decodeASCII: boolean; synchronously: true },
  ) => Record<string, unknown>;
  const output = run(
    ["-q", "-p", script],
    { ...sources },
    {
      stdout: collect,
      stderr: collect,
      decodeASCII: true,
      synchronously: true,
    },
  );
  const raw = output["stat.json"];
  const stat = raw instanceof Uint8Array ? new TextDecoder().decode(raw) : raw;
  if (typeof stat !== "string") throw new Error(`yosys produced no statistics for ${top}:\n${log}`);
  return { target, ...countCells(target, cellsOf(JSON.parse(stat) as YosysStat, top)) };
}

/** Synthesizes for the target and writes the netlist JSON nextpnr reads. */
export async function netlistFor(
  sources: Readonly<Record<string, string>>,
  top: string,
  target: TargetName,
): Promise<string> {
  const { files, log } = await yosys(
    ["-q", "-p", `${reads(sources)}; ${TARGETS[target].yosys} -top ${top}; write_json net.json`],
    sources,
  );
  const netlist = files["net.json"];
  if (netlist === undefined) throw new Error(`yosys produced no netlist for ${top}:\n${log}`);
  return netlist;
}

function reads(sources: Readonly<Record<string, string>>): string {
  return Object.keys(sources)
    .map((name) => `read_verilog ${name}`)
    .join("; ");
}

interface YosysStat {
  modules: Record<string, { num_cells_by_type?: Record<string, number> }>;
}

function cellsOf(stat: YosysStat, top: string): Record<string, number> {
  const module = stat.modules[`\\${top}`] ?? stat.modules[top] ?? Object.values(stat.modules)[0];
  return { ...(module?.num_cells_by_type ?? {}) };
}

async function yosys(
  args: string[],
  sources: Readonly<Record<string, string>>,
): Promise<{ files: Record<string, string>; log: string }> {
  let log = "";
  const collect = (chunk: Uint8Array | string | null): void => {
    if (chunk) log += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
  };
  let output: unknown;
  try {
    output = await runYosys(args, { ...sources }, { stdout: collect, stderr: collect, decodeASCII: true });
  } catch (error) {
    const message = log.split("\n").find((line) => /ERROR/.test(line)) ?? String(error);
    throw new UserError("synth", args.join(" ").slice(0, 60), `failed in yosys: ${message.trim()}`);
  }
  const files: Record<string, string> = {};
  for (const [name, value] of Object.entries(output as Record<string, unknown>)) {
    if (typeof value === "string") files[name] = value;
    else if (value instanceof Uint8Array) files[name] = new TextDecoder().decode(value);
  }
  return { files, log };
}
