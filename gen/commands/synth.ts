import { z } from "zod";
import { commandOptions } from "../spec/cli-options.js";
import { TARGET_NAMES, TARGETS, fmaxTargetsText } from "../synth/targets.js";
import { counted } from "../text.js";

/** `pwlgen synth DIR`: Yosys cell counts (and Fmax) of a generated unit. */
export const synthShape = {
  target: z
    .enum(TARGET_NAMES)
    .default("ice40")
    .describe(
      TARGET_NAMES.map((name) => `${name}: ${TARGETS[name].summary} (${TARGETS[name].yosys})`).join("; "),
    ),
  fmax: z
    .boolean()
    .default(false)
    .describe(
      `place and route the unit between registers with nextpnr-ice40 and report Fmax and its critical path (${fmaxTargetsText()})`,
    ),
  json: z.boolean().default(false).describe("print the counts as JSON"),
};
const synthSchema = z
  .object(synthShape)
  .strict()
  .refine((options) => !options.fmax || TARGETS[options.target].fmax !== undefined, {
    path: ["fmax"],
    message: `needs --target ${fmaxTargetsText()}: Fmax is placed and routed on an iCE40`,
  });

export async function synthCommand(argv: Record<string, unknown>): Promise<number> {
  const options = commandOptions(synthSchema, synthShape, argv);
  // Yosys (WebAssembly) loads only to synthesize.
  const { synthUnit } = await import("../synth/unit.js");
  const [result] = await synthUnit(String(argv.dir), [options.target], { fmax: options.fmax });
  if (!result) return 1;
  if (options.json) {
    const { target, lut, carry, dsp, bram, ff, fmaxMHz, criticalPath, cells } = result;
    const fmax = fmaxMHz !== undefined ? { fmaxMHz, criticalPath } : {};
    console.log(JSON.stringify({ target, lut, carry, dsp, bram, ff, ...fmax, cells }, null, 2));
  } else {
    const path = result.criticalPath;
    console.log(
      `${result.target}: ${counted(result.lut, "LUT")}, ${result.carry} carry, ${counted(result.dsp, "DSP")}, ${counted(result.bram, "BRAM")}, ${counted(result.ff, "FF")}` +
        (result.fmaxMHz !== undefined
          ? `, Fmax ${path?.untimed ? "at most " : ""}${result.fmaxMHz.toFixed(2)} MHz`
          : "") +
        " (recorded in manifest.json and report.md)",
    );
    if (path) {
      console.log(
        `  critical path ${path.delayNs.toFixed(3)} ns on ${TARGETS[result.target].fmax!.name}: ${path.from} -> ${path.to} through ${path.through}`,
      );
      if (path.untimed) console.log(`  an upper bound: nextpnr's timing model leaves out ${path.untimed}`);
    }
  }
  return 0;
}
