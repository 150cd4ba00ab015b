import { runYosys } from "@yowasp/yosys";
import { UserError } from "../spec/errors.js";

/**
 * FPGA cost estimates from Yosys (the @yowasp/yosys WebAssembly build, through its
 * JavaScript API): synthesize the unit for a target family and read `stat -json`.
 *
 *   ice40    synth_ice40 -dsp   LUTs = SB_LUT4, carry = SB_CARRY, DSPs = SB_MAC16
 *   xc7      synth_xilinx       LUTs = LUT1..LUT6, carry = CARRY4, DSPs = DSP48E1
 *   generic  synth -lut 4       LUTs = $lut (4-input), no carry chains or DSPs
 *
 * Flip-flops are every cell whose type names a flip-flop of that family.
 */
export const SYNTH_TARGETS = ["ice40", "xc7", "generic"] as const;
export type SynthTarget = (typeof SYNTH_TARGETS)[number];

export interface SynthResult {
  readonly target: SynthTarget;
  readonly lut: number;
  readonly carry: number;
  readonly dsp: number;
  readonly ff: number;
  /** Every cell type Yosys reports, with its count. */
  readonly cells: Readonly<Record<string, number>>;
  /** Fmax in MHz of the registered design after place and route (ice40 with --fmax only). */
  readonly fmaxMHz?: number;
}

const COMMANDS: Record<SynthTarget, (top: string) => string> = {
  ice40: (top) => `synth_ice40 -dsp -top ${top}`,
  xc7: (top) => `synth_xilinx -top ${top}`,
  generic: (top) => `synth -top ${top} -lut 4`,
};

/** Runs Yosys on Verilog sources; returns the cell counts of module `top`. */
export async function synthesize(
  sources: Readonly<Record<string, string>>,
  top: string,
  target: SynthTarget,
): Promise<SynthResult> {
  const reads = Object.keys(sources)
    .map((name) => `read_verilog ${name}`)
    .join("; ");
  const script = `${reads}; ${COMMANDS[target](top)}; tee -q -o stat.json stat -json`;
  const { files, log } = await yosys(["-q", "-p", script], sources);
  const stat = files["stat.json"];
  if (stat === undefined) throw new Error(`yosys produced no statistics for ${top}:\n${log}`);
  return { target, ...countCells(target, cellsOf(JSON.parse(stat) as YosysStat, top)) };
}

/** Synthesizes for ice40 and writes the netlist JSON nextpnr reads. */
export async function ice40Netlist(sources: Readonly<Record<string, string>>, top: string): Promise<string> {
  const reads = Object.keys(sources)
    .map((name) => `read_verilog ${name}`)
    .join("; ");
  const { files, log } = await yosys(
    ["-q", "-p", `${reads}; ${COMMANDS.ice40(top)}; write_json net.json`],
    sources,
  );
  const netlist = files["net.json"];
  if (netlist === undefined) throw new Error(`yosys produced no netlist for ${top}:\n${log}`);
  return netlist;
}

interface YosysStat {
  modules: Record<string, { num_cells_by_type?: Record<string, number> }>;
}

function cellsOf(stat: YosysStat, top: string): Record<string, number> {
  const module = stat.modules[`\\${top}`] ?? stat.modules[top] ?? Object.values(stat.modules)[0];
  return { ...(module?.num_cells_by_type ?? {}) };
}

export function countCells(
  target: SynthTarget,
  cells: Record<string, number>,
): Omit<SynthResult, "target" | "fmaxMHz"> {
  const sum = (test: (type: string) => boolean): number =>
    Object.entries(cells).reduce((total, [type, count]) => total + (test(type) ? count : 0), 0);
  const sorted = Object.fromEntries(Object.entries(cells).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  if (target === "ice40") {
    return {
      lut: sum((t) => t === "SB_LUT4"),
      carry: sum((t) => t === "SB_CARRY"),
      dsp: sum((t) => t === "SB_MAC16"),
      ff: sum((t) => t.startsWith("SB_DFF")),
      cells: sorted,
    };
  }
  if (target === "xc7") {
    return {
      lut: sum((t) => /^LUT[1-6]$/.test(t)),
      carry: sum((t) => t === "CARRY4"),
      dsp: sum((t) => t.startsWith("DSP48")),
      ff: sum((t) => /^FD[CPRS]E$/.test(t)),
      cells: sorted,
    };
  }
  return {
    lut: sum((t) => t === "$lut"),
    carry: 0,
    dsp: 0,
    ff: sum((t) => /^\$_S?DFF/.test(t)),
    cells: sorted,
  };
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
