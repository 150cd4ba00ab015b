import { describe, expect, it } from "vitest";
import { generate } from "../../gen/generate.js";
import { MAX_MODULE_NAME_LENGTH } from "../../gen/spec/identifiers.js";
import { cosimulate } from "../support/cosim.js";

/**
 * The longest module name lints clean and passes in both simulators: Verilator does not
 * find a testbench top (<module>_tb) over 127 characters, so one more character is refused.
 */
describe(`a module name of ${MAX_MODULE_NAME_LENGTH} characters`, () => {
  const name = (length: number): string => `pwl_${"long_".repeat(30)}`.slice(0, length - 1) + "z";
  const spec = { function: "tanh", in: "s3.5", out: "s1.7", maxError: "2^-5" } as const;

  it("verifies in Icarus Verilog and Verilator, with a pipeline and a dy port", async () => {
    const module = name(MAX_MODULE_NAME_LENGTH);
    expect(module).toHaveLength(124);
    const g = await cosimulate({ ...spec, module, pipeline: 4, derivative: "pwl", dout: "s1.7" });
    expect(g.design.module).toBe(module);
  });

  it("one character more is refused", () => {
    expect(() => generate({ ...spec, module: name(MAX_MODULE_NAME_LENGTH + 1) })).toThrow(
      /^--module: "pwl_long_.*z" \(125 characters\) is longer than the 124 characters a module name may have /,
    );
  });
});
