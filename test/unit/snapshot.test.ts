import { describe, expect, it } from "vitest";
import { generate } from "../../gen/generate.js";
import { renderUnit } from "../../gen/unit.js";

/**
 * Whole generated files for fixture specs, compared with test/__snapshots__/. A change to
 * the templates or the segmenter shows up here as a readable diff; accept it with
 * `npm run test:update` after reading it.
 */
const fixtures = {
  // Architectures pinned, so that a change of the search's cost model does not move them.
  sigmoid_comb: { function: "sigmoid", in: "s4.8", out: "u1.10", maxError: "2^-8", method: "optimal" },
  tanh_pipe4_half_even: {
    function: "tanh",
    in: "s3.7",
    out: "s1.9",
    maxError: "2^-7",
    pipeline: 4,
    rounding: "half-even",
    method: "lsq-greedy",
  },
  sigmoid_ones_grid: {
    function: "sigmoid",
    in: "s4.8",
    out: "u1.10",
    maxError: "2^-7",
    method: "grid",
    indexBits: 5,
    foldStyle: "ones",
    dropInputBits: 2,
    dropOutputBits: 2,
    pipeline: 2,
  },
  gelu_uniform_offsets: {
    function: "gelu",
    in: "s3.8",
    out: "s3.8",
    maxError: "2^-6",
    method: "uniform",
    localOffset: true,
    dropInputBits: 1,
    dropOutputBits: 1,
  },
  sigmoid_one_segment: { function: "sigmoid", in: "s2.4", out: "u1.4", segments: 1, pipeline: 1 },
} as const;

describe("generated files match their snapshots", () => {
  for (const [name, spec] of Object.entries(fixtures)) {
    it(name, async () => {
      const unit = await renderUnit(generate(spec));
      for (const [file, contents] of unit.files) {
        if (file.endsWith(".hex") || file.endsWith(".svg")) continue;
        await expect(contents).toMatchFileSnapshot(`../__snapshots__/${name}/${file}`);
      }
    });
  }
});
