import { describe, expect, it } from "vitest";
import type { DesignSpecInput } from "../../gen/spec/schema.js";
import { renderModule } from "../../gen/rtl/render.js";
import { cosimulate } from "../support/cosim.js";

/**
 * Every table architecture, bit-exact against the golden model on every input code in
 * both simulators (lint clean): one's complement folds (odd, point, even), dropped input
 * bits, output grids, ramp folds (f(x) = f(-x) + x), grid and uniform index selects,
 * local offsets, shared slopes, shift-add slopes (--slope-digits), with pipelines,
 * rounding and overflow modes, a PWL derivative, and --method auto for every target.
 */
/** A ramp fold at 1 ulp with local offsets: the most negative input's offset must saturate. */
const SILU_RAMP_OFFSETS: DesignSpecInput = {
  function: "silu",
  in: "s3.9",
  out: "s3.9",
  maxError: "2^-9",
  method: "uniform",
  symmetry: "ramp",
  foldStyle: "twos",
  localOffset: true,
};

const cases: [string, DesignSpecInput][] = [
  [
    "tree, one's complement odd fold",
    { function: "tanh", in: "s3.9", out: "s1.11", maxError: "2^-8", method: "optimal", foldStyle: "ones" },
  ],
  [
    "tree, one's complement point fold, dropped bits",
    {
      function: "sigmoid",
      in: "s4.8",
      out: "u1.12",
      maxError: "2^-7",
      method: "optimal",
      foldStyle: "ones",
      dropInputBits: 2,
      dropOutputBits: 3,
    },
  ],
  [
    "tree, one's complement even fold",
    {
      function: "dsigmoid",
      in: "s4.8",
      out: "u0.12",
      maxError: "2^-9",
      method: "optimal",
      foldStyle: "ones",
    },
  ],
  [
    // The sign reads the fold only: an even table's outputs need no unfolding, so it is no
    // longer carried through the pipeline (it was, unused: a Verilator lint warning).
    "tree, one's complement even fold, 4 pipeline stages",
    {
      function: "dsigmoid",
      in: "s4.6",
      out: "u0.10",
      maxError: "2^-7",
      method: "optimal",
      foldStyle: "ones",
      pipeline: 4,
    },
  ],
  [
    "tree, two's complement fold, dropped input bits",
    { function: "tanh", in: "s3.10", out: "s1.10", maxError: "2^-7", method: "optimal", dropInputBits: 3 },
  ],
  [
    "unfolded signed input, output grid, half-even",
    {
      function: "gelu",
      in: "s3.9",
      out: "s3.9",
      maxError: "2^-6",
      method: "optimal",
      dropOutputBits: 2,
      rounding: "half-even",
    },
  ],
  [
    "unsigned input, dropped bits both ends, wrap",
    {
      function: "softplus",
      in: "u3.9",
      out: "u3.9",
      maxError: "2^-7",
      method: "optimal",
      dropInputBits: 2,
      dropOutputBits: 2,
      overflow: "wrap",
    },
  ],
  [
    "uniform, local offsets, unfolded",
    { function: "gelu", in: "s3.9", out: "s3.9", maxError: "2^-7", method: "uniform", localOffset: true },
  ],
  [
    "uniform, local offsets, one's complement fold, pipeline 4",
    {
      function: "sigmoid",
      in: "s4.8",
      out: "u1.10",
      maxError: "2^-8",
      method: "uniform",
      localOffset: true,
      foldStyle: "ones",
      dropInputBits: 1,
      pipeline: 4,
    },
  ],
  [
    // The magnitude 2^b of the most negative input lies past the last cell: its offset
    // wraps to the cell's start (tanh is flat there: no logic) ...
    "uniform, local offsets, two's complement odd fold, pipeline 2",
    {
      function: "tanh",
      in: "s3.9",
      out: "s1.11",
      maxError: "2^-8",
      method: "uniform",
      localOffset: true,
      pipeline: 2,
    },
  ],
  [
    // ... or saturates at the cell's last code where wrapping misses the bound (a ramp fold,
    // steep at the end, at 1 ulp: refused before saturation was an option).
    "uniform, local offsets, two's complement ramp fold at 1 ulp (saturated offset)",
    SILU_RAMP_OFFSETS,
  ],
  [
    "uniform, local offsets, shared slopes, two's complement ramp fold (saturated offset)",
    { ...SILU_RAMP_OFFSETS, shareSlopes: true },
  ],
  [
    "uniform, shared slopes, one's complement point fold, pipeline 3",
    {
      function: "sigmoid",
      in: "s4.8",
      out: "u1.10",
      maxError: "2^-9",
      method: "uniform",
      foldStyle: "ones",
      shareSlopes: true,
      pipeline: 3,
    },
  ],
  [
    "uniform, local offsets, unsigned input",
    {
      function: "exp",
      in: "u1.10",
      out: "u3.9",
      maxError: "2^-8",
      method: "uniform",
      localOffset: true,
      indexBits: 6,
    },
  ],
  [
    "grid, one's complement fold, pipeline 2",
    {
      function: "tanh",
      in: "s3.9",
      out: "s1.11",
      maxError: "2^-8",
      method: "grid",
      foldStyle: "ones",
      pipeline: 2,
    },
  ],
  [
    "grid with more index bits, two's complement fold",
    { function: "sigmoid", in: "s4.9", out: "u1.11", maxError: "2^-8", method: "grid", indexBits: 6 },
  ],
  [
    "grid, unfolded, dropped bits, pipeline 3",
    {
      function: "silu",
      in: "s4.8",
      out: "s4.8",
      maxError: "2^-6",
      method: "grid",
      indexBits: 5,
      dropInputBits: 1,
      dropOutputBits: 1,
      pipeline: 3,
    },
  ],
  [
    "y with an architecture, dy as a PWL",
    {
      function: "sigmoid",
      in: "s4.8",
      out: "u1.10",
      maxError: "2^-7",
      method: "uniform",
      foldStyle: "ones",
      dropInputBits: 1,
      derivative: "pwl",
      dout: "s1.10",
    },
  ],
  [
    "y with an architecture, dy as the slope",
    {
      function: "tanh",
      in: "s3.9",
      out: "s1.10",
      maxError: "2^-7",
      method: "grid",
      foldStyle: "ones",
      derivative: "slope",
      dout: "s1.10",
    },
  ],
  [
    "ramp fold (f(x) = f(-x) + x), tree, two's complement",
    { function: "gelu", in: "s3.9", out: "s3.9", maxError: "2^-8", method: "optimal", symmetry: "ramp" },
  ],
  [
    "ramp fold, uniform with local offsets, one's complement, dropped bits, c = 4, pipeline 4",
    {
      function: "silu",
      in: "s4.8",
      out: "s4.10",
      maxError: "2^-7",
      method: "uniform",
      localOffset: true,
      symmetry: "ramp",
      foldStyle: "ones",
      dropInputBits: 1,
      dropOutputBits: 1,
      pipeline: 4,
    },
  ],
  [
    "ramp fold, unsigned output, grid, pipeline 2",
    {
      function: "softplus",
      in: "s4.8",
      out: "u4.8",
      maxError: "2^-6",
      method: "grid",
      symmetry: "ramp",
      pipeline: 2,
    },
  ],
  [
    "ramp fold, dy as the slope (1 - slope for negative x), half-even",
    {
      function: "gelu_tanh",
      in: "s3.8",
      out: "s3.9",
      maxError: "2^-7",
      method: "optimal",
      symmetry: "ramp",
      rounding: "half-even",
      derivative: "slope",
      dout: "s2.9",
    },
  ],
  [
    "shift-add slopes (1 digit), uniform with local offsets, one's complement point fold",
    {
      function: "sigmoid",
      in: "s4.8",
      out: "u1.10",
      maxError: "2^-7",
      method: "uniform",
      slopeDigits: 1,
      localOffset: true,
      foldStyle: "ones",
    },
  ],
  [
    "shift-add slopes (2 digits), tree, signed slopes, unfolded, pipeline 3",
    {
      function: "gelu",
      in: "s3.9",
      out: "s3.9",
      maxError: "2^-8",
      method: "optimal",
      slopeDigits: 2,
      pipeline: 3,
    },
  ],
  [
    "shift-add slopes (3 digits), grid, odd fold, half-even, pipeline 4",
    {
      function: "tanh",
      in: "s3.10",
      out: "s1.10",
      maxError: "2^-9",
      method: "grid",
      slopeDigits: 3,
      rounding: "half-even",
      pipeline: 4,
    },
  ],
  [
    "shift-add slopes (2 digits), ramp fold, dy as the slope, wrap",
    {
      function: "silu",
      in: "s3.8",
      out: "s3.9",
      maxError: "2^-7",
      method: "uniform",
      symmetry: "ramp",
      slopeDigits: 2,
      overflow: "wrap",
      derivative: "slope",
      dout: "s2.9",
    },
  ],
  [
    "shift-add slopes (2 digits) in y and in a PWL dy, pipeline 2",
    {
      function: "tanh",
      in: "s3.8",
      out: "s1.10",
      maxError: "2^-8",
      method: "uniform",
      slopeDigits: 2,
      derivative: "pwl",
      dout: "s1.10",
      pipeline: 2,
    },
  ],
  [
    "shift-add slopes (2 digits), unsigned input, truncate, pipeline 1",
    {
      function: "exp",
      in: "u2.8",
      out: "u6.8",
      maxError: "2ulp",
      method: "lsq-greedy",
      slopeDigits: 2,
      rounding: "truncate",
      pipeline: 1,
    },
  ],
];

describe("table architectures in both simulators", () => {
  for (const [name, spec] of cases) {
    it(name, async () => {
      const generation = await cosimulate(spec);
      expect(generation.y.accuracy.max).toBeLessThanOrEqual(generation.design.y.bound);
    });
  }
});

describe("--method auto in both simulators", () => {
  for (const target of ["ice40", "ice40-hx", "xc7", "generic"] as const) {
    it(`sigmoid and gelu for ${target}`, async () => {
      for (const spec of [
        { function: "sigmoid", in: "s4.10", out: "u1.12", maxError: "2^-8" },
        { function: "gelu", in: "s3.10", out: "s3.10", maxError: "2^-8", pipeline: 2 },
      ] as const) {
        const generation = await cosimulate({ ...spec, target });
        expect(generation.y.choice?.method).toBe("auto");
        expect(generation.y.choice?.target).toBe(target);
      }
    });
  }
});

/**
 * The two ways the RTL writes a fold's arithmetic (PwlDesign.foldForm, chosen by the
 * target): `carry` on iCE40, `mux` on xc7 and generic. Odd and point folds, a pipeline
 * between the table and the unfolding, a slope tap (dy unfolds too) and a ramp fold.
 */
describe("both fold forms, in both simulators", () => {
  const specs: [string, DesignSpecInput][] = [
    ["odd fold", { function: "tanh", in: "s3.9", out: "s1.11", maxError: "2^-8", method: "uniform" }],
    [
      "point fold, pipeline 3",
      { function: "sigmoid", in: "s4.8", out: "u1.12", maxError: "2^-9", method: "optimal", pipeline: 3 },
    ],
    [
      "even fold with a slope tap (odd)",
      {
        function: "dsigmoid",
        in: "s3.8",
        out: "u0.12",
        maxError: "2^-9",
        method: "uniform",
        derivative: "slope",
        dout: "s1.10",
      },
    ],
    [
      "ramp fold, pipeline 2",
      {
        function: "gelu",
        in: "s3.9",
        out: "s3.9",
        maxError: "2^-7",
        method: "uniform",
        symmetry: "ramp",
        pipeline: 2,
      },
    ],
  ];
  // The fold's wires in each form: |x|, the unfolding and the ramp term.
  const written = {
    carry: [
      /x_mag = \(x - \{\d+'b0, x_neg\}\) \^ \{\d+\{x_neg\}\};/,
      /_unfolded = (\(\w+ - .*\) \^ \{\d+\{x_neg\w*\}\}|x_neg\w* \? \(\w+ \+ \w+_ramp\w*\) : \w+);/,
    ],
    mux: [
      /x_mag = x_neg \? \(~x \+ \d+'h0+1\) : x;/,
      /_unfolded = (x_neg\w* \? \(.* - \w+\) : \w+|x_neg\w* \? \(~\w+ \+ \S+\) : \w+|\w+ \+ \w+_ramp\w*);/,
    ],
  };
  for (const [target, form] of [
    ["ice40", "carry"],
    ["xc7", "mux"],
  ] as const) {
    for (const [name, spec] of specs) {
      it(`${name}, ${form} (${target})`, async () => {
        const generation = await cosimulate({ ...spec, target });
        expect(generation.design.foldForm).toBe(form);
        expect(generation.design.y.fold.kind).not.toBe("none");
        expect(generation.design.y.fold.style).toBe("twos");
        const lines = renderModule(generation.design)
          .split("\n")
          .filter((line) => /^\s*wire .*(_unfolded|x_mag) = /.test(line));
        const [magnitude, unfolding] = written[form];
        expect(lines.filter((line) => / x_mag = /.test(line)).every((line) => magnitude!.test(line))).toBe(
          true,
        );
        const unfolds = lines.filter((line) => /_unfolded = /.test(line));
        expect(unfolds.length).toBeGreaterThan(0);
        for (const line of unfolds) expect(line, line).toMatch(unfolding!);
        expect(generation.y.accuracy.max).toBeLessThanOrEqual(generation.design.y.bound);
      });
    }
  }
});

/**
 * The two ways the RTL spells a small comparator tree (PwlDesign.treeWords, chosen by the
 * target, gen/rtl/rom.ts): a word tree on 4-input LUTs (the nodes select the ROM words, no
 * segment index and no case statement), a segment index and a ROM case statement on xc7.
 * An unfolded and a folded tree, a pipeline cutting after the ROM and one after the
 * multiplier, a slope tap (a third ROM column), a derivative table of its own, shift-add
 * slopes, and lsq-greedy's tree.
 */
describe("both tree spellings, in both simulators", () => {
  const specs: [string, DesignSpecInput][] = [
    ["unfolded", { function: "gelu", in: "s4.8", out: "s4.8", maxError: "2^-6", method: "optimal" }],
    [
      "point fold, pipeline 3",
      { function: "sigmoid", in: "s4.8", out: "u1.12", maxError: "2^-9", method: "optimal", pipeline: 3 },
    ],
    [
      "slope tap",
      {
        function: "tanh",
        in: "s3.9",
        out: "s1.11",
        maxError: "2^-7",
        method: "optimal",
        derivative: "slope",
        dout: "s1.10",
      },
    ],
    [
      "derivative table",
      {
        function: "silu",
        in: "s3.8",
        out: "s3.8",
        maxError: "2^-6",
        method: "optimal",
        derivative: "pwl",
        dout: "s2.8",
        dmaxError: "2^-5",
      },
    ],
    [
      "lsq-greedy, pipeline 4",
      { function: "exp", in: "s2.8", out: "u3.8", maxError: "2^-6", method: "lsq-greedy", pipeline: 4 },
    ],
  ];
  const shiftAdd: DesignSpecInput = {
    function: "gelu",
    in: "s3.8",
    out: "s3.8",
    maxError: "2^-6",
    method: "optimal",
    slopeDigits: 2,
  };
  const cases: [string, DesignSpecInput, "ice40" | "ice40-hx" | "xc7"][] = [
    ...specs.flatMap(([name, spec]) => [
      [name, spec, "ice40"] as [string, DesignSpecInput, "ice40"],
      [name, spec, "xc7"] as [string, DesignSpecInput, "xc7"],
    ]),
    ["shift-add slopes", shiftAdd, "ice40-hx"],
    ["shift-add slopes", shiftAdd, "xc7"],
  ];
  for (const [name, spec, target] of cases) {
    const words = target !== "xc7";
    it(`${name}, ${words ? "word tree" : "segment index"} (${target})`, async () => {
      const generation = await cosimulate({ ...spec, target });
      expect(generation.design.treeWords === true).toBe(words);
      const verilog = renderModule(generation.design);
      expect(/_word_\d+_\d+ = /.test(verilog)).toBe(words);
      expect(/case \(/.test(verilog)).toBe(!words);
    });
  }
});
