import type { Generation } from "./generate.js";
import { renderCModel } from "./export/c.js";
import { renderFilelist } from "./export/filelist.js";
import { renderNumpyModel } from "./export/numpy.js";
import { renderVhdl, renderVhdlTestbench } from "./export/vhdl.js";
import { MANIFEST, type UnitFiles, type VectorSummary, manifest } from "./report/manifest.js";
import { reportMarkdown } from "./report/markdown.js";
import { unitPlot } from "./plot/unit.js";
import { renderModule, renderTestbench } from "./rtl/render.js";
import type { Export, Hdl } from "./spec/schema.js";
import { selectInputs, vectorFile } from "./vectors/vectors.js";
import type { SimResult } from "../sim/types.js";

/**
 * The files of one generated unit: <module>.v and <module>_tb.v (and, or instead,
 * <module>.vhd and <module>_tb.vhd), <module>_vectors.hex, manifest.json, report.md and
 * plot.svg; with exports, the C model (<module>.h, <module>.c), the NumPy model
 * (<module>.py) and the filelist (<module>.f). Every file comes from the IR. Rendering is
 * pure: same generation and options, same bytes.
 */
export interface Unit {
  readonly names: UnitFiles;
  readonly vectors: VectorSummary;
  /** File name -> contents. */
  readonly files: ReadonlyMap<string, string>;
}

export interface UnitOptions {
  /** The HDL the unit is written in (default verilog). */
  readonly hdl?: Hdl;
  /** Models and files beside the HDL (default none). */
  readonly exports?: readonly Export[];
}

/** The unit's file names for the chosen HDL and exports. */
export function unitFileNames(module: string, options: UnitOptions = {}): UnitFiles {
  const hdl = options.hdl ?? "verilog";
  const exports = new Set(options.exports ?? []);
  return {
    ...(hdl !== "vhdl" ? { module: `${module}.v`, testbench: `${module}_tb.v` } : {}),
    ...(hdl !== "verilog" ? { vhdlModule: `${module}.vhd`, vhdlTestbench: `${module}_tb.vhd` } : {}),
    vectors: `${module}_vectors.hex`,
    ...(exports.has("c") ? { cHeader: `${module}.h`, cSource: `${module}.c` } : {}),
    ...(exports.has("numpy") ? { numpy: `${module}.py` } : {}),
    ...(exports.has("filelist") ? { filelist: `${module}.f` } : {}),
    report: "report.md",
    plot: "plot.svg",
  };
}

export async function renderUnit(
  generation: Generation,
  verification?: readonly SimResult[],
  options: UnitOptions = {},
): Promise<Unit> {
  const { design, spec } = generation;
  const names = unitFileNames(design.module, options);
  const selection = selectInputs(design, spec);
  const vectors: VectorSummary = {
    count: selection.inputs.length,
    exhaustive: selection.exhaustive,
    seed: spec.seed,
  };
  const files = new Map<string, string>();
  if (names.module && names.testbench) {
    files.set(names.module, renderModule(design));
    files.set(names.testbench, renderTestbench(design, names.vectors, vectors.count));
  }
  if (names.vhdlModule && names.vhdlTestbench) {
    files.set(names.vhdlModule, renderVhdl(design));
    files.set(names.vhdlTestbench, renderVhdlTestbench(design, names.vectors, vectors.count));
  }
  files.set(names.vectors, vectorFile(design, selection.inputs));
  if (names.cHeader && names.cSource) {
    const model = renderCModel(design, names.cHeader);
    files.set(names.cHeader, model.header);
    files.set(names.cSource, model.source);
  }
  if (names.numpy) files.set(names.numpy, renderNumpyModel(design));
  if (names.filelist) files.set(names.filelist, renderFilelist(design, names));
  files.set(names.plot, await unitPlot(generation));
  for (const [name, contents] of renderDocuments(generation, names, vectors, verification)) {
    files.set(name, contents);
  }
  return { names, vectors, files };
}

/** manifest.json and report.md, which also record verification results when there are any. */
export function renderDocuments(
  generation: Generation,
  names: UnitFiles,
  vectors: VectorSummary,
  verification: readonly SimResult[] | undefined,
): [string, string][] {
  return [
    [MANIFEST, `${JSON.stringify(manifest(generation, names, vectors, verification), null, 2)}\n`],
    [names.report, reportMarkdown(generation, names, vectors, verification)],
  ];
}
