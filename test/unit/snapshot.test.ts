import { describe, expect, it } from "vitest";
import { generate } from "../../gen/generate.js";
import { renderUnit } from "../../gen/unit.js";

/**
 * Whole generated files for fixture specs, compared with test/__snapshots__/. A change to
 * the templates or the segmenter shows up here as a readable diff; accept it with
 * `npm run test:update` after reading it.
 */
const fixtures = {
  sigmoid_comb: { function: "sigmoid", in: "s4.8", out: "u1.10", maxError: "2^-8" },
  tanh_pipe4_half_even: {
    function: "tanh",
    in: "s3.7",
    out: "s1.9",
    maxError: "2^-7",
    pipeline: 4,
    rounding: "half-even",
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
