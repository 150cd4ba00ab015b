import type { Measured } from "../design/choose.js";
import type { PwlDesign } from "../design/ir.js";
import type { TargetName } from "./targets.js";

/**
 * The synchronous Yosys run that `--select-by yosys` ranks finalists with. The table search
 * is synchronous, and @yowasp/yosys runs synchronously only once its resources are loaded:
 * `prepareYosys()` (gen/synth/yosys.ts, asynchronous) loads them and registers the function
 * here. This module imports nothing heavy, so a generation that does not measure never
 * loads Yosys.
 */
export type Measure = (design: PwlDesign, target: TargetName) => Measured;

let registered: Measure | undefined;

export function registerMeasure(measure: Measure): void {
  registered = measure;
}

/** The registered measure; an error for a caller that did not prepare Yosys first. */
export function preparedMeasure(): Measure {
  if (!registered) {
    throw new Error(
      "selectBy: yosys needs Yosys loaded first: await prepareYosys() (exported by pwlgen) before generate()",
    );
  }
  return registered;
}
