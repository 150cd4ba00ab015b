import type * as NextpnrIce40 from "@yowasp/nextpnr-ice40";
import { MissingToolError } from "../spec/errors.js";

type NextpnrModule = typeof NextpnrIce40;
import { ice40Netlist } from "./yosys.js";

/**
 * Fmax of the registered design on an iCE40 UP5K: the unit wrapped between input and
 * output registers (so a combinational unit has a clocked path to time), synthesized by
 * Yosys and placed and routed by nextpnr-ice40 (@yowasp/nextpnr-ice40, an optional
 * dependency). The last "Max frequency" nextpnr reports, after routing, is the result.
 */
export async function ice40Fmax(moduleSource: string, module: string, ports: FmaxPorts): Promise<number> {
  let nextpnr: NextpnrModule;
  try {
    nextpnr = await import("@yowasp/nextpnr-ice40");
  } catch {
    throw new MissingToolError(
      "--fmax needs the optional package @yowasp/nextpnr-ice40; add it with `npm install @yowasp/nextpnr-ice40`",
    );
  }
  const wrapper = fmaxWrapper(module, ports);
  const netlist = await ice40Netlist({ "unit.v": moduleSource, "fmax_top.v": wrapper }, "fmax_top");
  let log = "";
  const collect = (chunk: Uint8Array | string | null): void => {
    if (chunk) log += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
  };
  try {
    await nextpnr.runNextpnrIce40(
      [
        "--up5k",
        "--package",
        "sg48",
        "--json",
        "net.json",
        "--pcf-allow-unconstrained",
        "--freq",
        "12",
        "--seed",
        "1",
      ],
      { "net.json": netlist },
      { stdout: collect, stderr: collect },
    );
  } catch {
    throw new Error(
      `nextpnr-ice40 failed:\n${log
        .split("\n")
        .filter((l) => /ERROR/.test(l))
        .join("\n")}`,
    );
  }
  const reports = [...log.matchAll(/Max frequency for clock '[^']*': ([\d.]+) MHz/g)];
  const last = reports.at(-1);
  if (!last) throw new Error(`nextpnr-ice40 reported no clock frequency:\n${log.slice(-2000)}`);
  return Number(last[1]);
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
