import type { Generation } from "./generate.js";
import { MANIFEST, type UnitFiles, type VectorSummary, manifest } from "./report/manifest.js";
import { reportMarkdown } from "./report/markdown.js";
import { unitPlot } from "./plot/unit.js";
import { renderModule, renderTestbench } from "./rtl/render.js";
import { selectInputs, vectorFile } from "./vectors/vectors.js";
import type { SimResult } from "../sim/types.js";

/**
 * The files of one generated unit: <module>.v, <module>_tb.v, <module>_vectors.hex,
 * manifest.json, report.md and plot.svg. Rendering is pure: same generation, same bytes.
 */
export interface Unit {
  readonly names: UnitFiles;
  readonly vectors: VectorSummary;
  /** File name -> contents. */
  readonly files: ReadonlyMap<string, string>;
}

export async function renderUnit(generation: Generation, verification?: readonly SimResult[]): Promise<Unit> {
  const { design, spec } = generation;
  const names: UnitFiles = {
    module: `${design.module}.v`,
    testbench: `${design.module}_tb.v`,
    vectors: `${design.module}_vectors.hex`,
    report: "report.md",
    plot: "plot.svg",
  };
  const selection = selectInputs(design, spec);
  const vectors: VectorSummary = {
    count: selection.inputs.length,
    exhaustive: selection.exhaustive,
    seed: spec.seed,
  };
  const files = new Map<string, string>([
    [names.module, renderModule(design)],
    [names.testbench, renderTestbench(design, names.vectors, vectors.count)],
    [names.vectors, vectorFile(design, selection.inputs)],
    [names.plot, await unitPlot(generation)],
    ...renderDocuments(generation, names, vectors, verification),
  ]);
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
