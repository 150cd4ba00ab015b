import { z } from "zod";
import { commandOptions } from "../spec/cli-options.js";
import { synthUnit } from "../synth/unit.js";
import { SYNTH_TARGETS } from "../synth/yosys.js";

/** `pwlgen synth DIR`: Yosys cell counts (and Fmax) of a generated unit. */
export const synthShape = {
  target: z
    .enum(SYNTH_TARGETS)
    .default("ice40")
    .describe("ice40 (synth_ice40 -dsp), xc7 (synth_xilinx) or generic (synth -lut 4)"),
  fmax: z
    .boolean()
    .default(false)
    .describe("ice40: place and route the registered design with nextpnr-ice40 and report Fmax"),
  json: z.boolean().default(false).describe("print the counts as JSON"),
};
const synthSchema = z
  .object(synthShape)
  .strict()
  .refine((options) => !options.fmax || options.target === "ice40", {
    path: ["fmax"],
    message: "needs --target ice40 (Fmax is placed and routed on an iCE40)",
  });

export async function synthCommand(argv: Record<string, unknown>): Promise<number> {
  const options = commandOptions(synthSchema, synthShape, argv);
  const [result] = await synthUnit(String(argv.dir), [options.target], { fmax: options.fmax });
  if (!result) return 1;
  if (options.json) {
    const { target, lut, carry, dsp, ff, fmaxMHz, cells } = result;
    console.log(
      JSON.stringify(
        { target, lut, carry, dsp, ff, ...(fmaxMHz !== undefined ? { fmaxMHz } : {}), cells },
        null,
        2,
      ),
    );
  } else {
    console.log(
      `${result.target}: ${result.lut} LUTs, ${result.carry} carry, ${result.dsp} DSPs, ${result.ff} FFs` +
        (result.fmaxMHz !== undefined ? `, Fmax ${result.fmaxMHz.toFixed(1)} MHz` : "") +
        " (recorded in manifest.json and report.md)",
    );
  }
  return 0;
}
