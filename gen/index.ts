/**
 * pwlgen's library API: the same pipeline as the CLI, for build scripts.
 *
 *     import { generate, writeUnit, evaluate } from "pwlgen";
 *     const unit = generate({ function: "sigmoid", in: "s4.12", out: "u1.15", maxError: "2^-10" });
 *     evaluate(unit.design, 0);              // the output code for input code 0
 *     await writeUnit(unit, { outDir: "rtl/sigmoid", verify: true });
 */
export { generate, generateFromSpec, tabulateFunction } from "./generate.js";
export type { Generation, ChannelReport, FunctionInfo } from "./generate.js";
export type { TableProvenance } from "./design/table.js";
export { writeUnit } from "./write.js";
/**
 * --select-by yosys from the library: `await prepareYosys()` once before `generate()` with
 * `selectBy: "yosys"` (Yosys runs synchronously inside the search once loaded).
 */
export async function prepareYosys(): Promise<void> {
  await (await import("./synth/yosys.js")).prepareYosys();
}
export type { WriteOptions, Written } from "./write.js";
export { renderUnit } from "./unit.js";
export type { Unit } from "./unit.js";
export { evaluate, evaluateDerivative, evaluateChannel } from "./model/golden.js";
export type { ErrorStats } from "./model/accuracy.js";
export type { PwlDesign, PwlChannel, SlopeTap, HardwareSummary } from "./design/ir.js";
export { hardwareSummary } from "./design/ir.js";
export {
  parseFormat,
  formatName,
  width,
  minCode,
  maxCode,
  toReal,
  quantize,
  roundShift,
} from "./fixed/format.js";
export type { FixFormat, Rounding, Overflow } from "./fixed/format.js";
export { FUNCTIONS, findFunction } from "./functions/registry.js";
export type { ActivationFunction } from "./functions/types.js";
export { designSchema } from "./spec/schema.js";
export type { DesignSpec, DesignSpecInput } from "./spec/schema.js";
export { UserError, MissingToolError } from "./spec/errors.js";
export { verifyUnit } from "../sim/verify.js";
export type { Verification } from "../sim/verify.js";
export type { SimResult } from "../sim/types.js";
// Exports from the IR: VHDL, C and NumPy models, filelist; JUnit reports.
export { renderVhdl, renderVhdlTestbench } from "./export/vhdl.js";
export { renderCModel } from "./export/c.js";
export type { CModel } from "./export/c.js";
export { renderNumpyModel } from "./export/numpy.js";
export { renderFilelist } from "./export/filelist.js";
export type { UnitOptions } from "./unit.js";
export { unitFileNames } from "./unit.js";
export type { Export, Hdl } from "./spec/schema.js";
export { verificationJunit } from "../sim/verify.js";
export { junitXml, writeJunit } from "../sim/junit.js";
