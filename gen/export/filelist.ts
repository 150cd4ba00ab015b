import type { PwlDesign } from "../design/ir.js";
import type { UnitFiles } from "../report/manifest.js";

/**
 * The filelist <module>.f: the unit's design sources in compile order, one file name per
 * line, relative to the unit directory, for tools that take `-f` (Icarus Verilog,
 * Verilator, the commercial simulators and synthesis tools). `-f` is a Verilog tools'
 * convention, so a unit with Verilog lists its Verilog, and a VHDL-only unit its VHDL.
 * No comment lines: Icarus and Verilator disagree on comment syntax in command files.
 * The testbench is not listed: it is not a design source (`iverilog -f <module>.f
 * <module>_tb.v` builds the simulation).
 */
export function renderFilelist(design: PwlDesign, files: UnitFiles): string {
  const sources = files.module ? [files.module] : files.vhdlModule ? [files.vhdlModule] : [];
  if (sources.length === 0) throw new Error(`internal: unit ${design.module} has no HDL source to list`);
  return `${sources.join("\n")}\n`;
}
