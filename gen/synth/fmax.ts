import type * as NextpnrIce40 from "@yowasp/nextpnr-ice40";
import { MissingToolError } from "../spec/errors.js";
import { type TargetName, TARGETS } from "./targets.js";
import { type CriticalPath, type NextpnrReport, criticalPath, fmaxOf } from "./timing.js";
import { netlistFor } from "./yosys.js";

type NextpnrModule = typeof NextpnrIce40;

export interface FmaxResult {
  /** 1000 / criticalPath.delayNs, rounded down to 0.01 MHz. */
  readonly fmaxMHz: number;
  readonly criticalPath: CriticalPath;
}

/** What a place-and-route run gave: its result, and nextpnr's own log and report to audit it by. */
export interface PlaceAndRouteRun extends FmaxResult {
  readonly log: string;
  readonly report: NextpnrReport;
}

/**
 * Fmax of the unit on the target's device: the unit between input and output registers (so
 * a combinational unit has a clocked path to time), synthesized by Yosys with the target's
 * command and placed and routed by nextpnr-ice40 (@yowasp/nextpnr-ice40, an optional
 * dependency). The result is the slowest register-to-register path of nextpnr's timing
 * report after routing, paths through unregistered DSPs included (gen/synth/timing.ts).
 */
export async function measureFmax(
  moduleSource: string,
  module: string,
  ports: FmaxPorts,
  target: TargetName,
): Promise<PlaceAndRouteRun> {
  const device = TARGETS[target].fmax;
  if (!device) throw new Error(`no place and route for target ${target}`);
  let nextpnr: NextpnrModule;
  try {
    nextpnr = await import("@yowasp/nextpnr-ice40");
  } catch {
    throw new MissingToolError(
      "--fmax needs the optional package @yowasp/nextpnr-ice40; add it with `npm install @yowasp/nextpnr-ice40`",
    );
  }
  const netlist = await netlistFor(
    { "unit.v": moduleSource, "fmax_top.v": fmaxWrapper(module, ports) },
    "fmax_top",
    target,
  );
  let log = "";
  const collect = (chunk: Uint8Array | string | null): void => {
    if (chunk) log += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
  };
  let files: Record<string, unknown>;
  try {
    files = ((await nextpnr.runNextpnrIce40(
      [
        `--${device.device}`,
        "--package",
        device.package,
        "--json",
        "net.json",
        "--pcf-allow-unconstrained",
        "--freq",
        "12",
        "--seed",
        "1",
        "--report",
        "report.json",
      ],
      { "net.json": netlist },
      { stdout: collect, stderr: collect },
    )) ?? {}) as Record<string, unknown>;
  } catch {
    throw new Error(
      `nextpnr-ice40 failed:\n${log
        .split("\n")
        .filter((l) => /ERROR/.test(l))
        .join("\n")}`,
    );
  }
  const raw = files["report.json"];
  const text = typeof raw === "string" ? raw : raw instanceof Uint8Array ? new TextDecoder().decode(raw) : "";
  if (!text) throw new Error(`nextpnr-ice40 wrote no timing report:\n${log.slice(-2000)}`);
  const report = JSON.parse(text) as NextpnrReport;
  const path = criticalPath(report);
  return { fmaxMHz: fmaxOf(path), criticalPath: path, log, report };
}

export interface FmaxPorts {
  readonly xWidth: number;
  /** Output ports and widths (y, and dy when present). */
  readonly outputs: readonly { readonly name: string; readonly width: number }[];
  readonly pipelined: boolean;
}

/** A top level that registers the unit's input and outputs on one clock. */
function fmaxWrapper(module: string, ports: FmaxPorts): string {
  const outs = ports.outputs;
  const lines = [
    "module fmax_top (",
    "  input wire clk,",
    `  input wire [${ports.xWidth - 1}:0] x,`,
    ...outs.map((o, i) => `  output reg [${o.width - 1}:0] ${o.name}_r${i === outs.length - 1 ? "" : ","}`),
    ");",
    `  reg [${ports.xWidth - 1}:0] x_r;`,
    ...outs.map((o) => `  wire [${o.width - 1}:0] ${o.name};`),
    "  always @(posedge clk) begin",
    "    x_r <= x;",
    ...outs.map((o) => `    ${o.name}_r <= ${o.name};`),
    "  end",
    `  ${module} unit (`,
    ...(ports.pipelined
      ? ["    .clk(clk),", "    .rst(1'b0),", "    .in_valid(1'b1),", "    .out_valid(),"]
      : []),
    "    .x(x_r),",
    ...outs.map((o, i) => `    .${o.name}(${o.name})${i === outs.length - 1 ? "" : ","}`),
    "  );",
    "endmodule",
    "",
  ];
  return lines.join("\n");
}
