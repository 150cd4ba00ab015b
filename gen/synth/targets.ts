/**
 * The synthesis targets: one table, shared by `pwlgen synth --target`, `pwlgen sweep
 * --synth` and anything that estimates cost for a target. It imports no tool, so a cost
 * model or `gen --target` can read it without loading Yosys.
 *
 * Each target says how Yosys maps a unit (`yosys`), how its cells are counted (`cells`:
 * every cell type Yosys may leave is in exactly one class; a type in none of them stops the
 * count rather than being left out of it), and whether and where nextpnr places and routes
 * it for Fmax (`fmax`).
 */
import type { FoldForm } from "../design/ir.js";

export const TARGET_NAMES = ["ice40", "ice40-hx", "xc7", "generic"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/**
 * The target pwlgen optimises for when none is given: the iCE40 UltraPlus, the FPGA of
 * the open-source flow (Yosys + nextpnr) that pwlgen measures with, with its DSP blocks.
 */
export const DEFAULT_TARGET: TargetName = "ice40";

/** What a unit costs on a target, in Yosys's cells. */
export type CellClass = "lut" | "carry" | "dsp" | "bram" | "ff" | "uncounted";

export interface PlaceAndRoute {
  /** nextpnr-ice40's device switch (`--up5k`, `--hx8k`) and package. */
  readonly device: "up5k" | "hx8k";
  readonly package: string;
  /** The device as a person would name it: "iCE40 UP5K". */
  readonly name: string;
}

export interface Target {
  readonly name: TargetName;
  /** The family and what maps where, for reports and the README. */
  readonly family: string;
  /** The same in a few words, for --help. */
  readonly summary: string;
  /** The Yosys synthesis command, without `-top`. */
  readonly yosys: string;
  /** LUT inputs of the fabric. */
  readonly lutInputs: 4 | 6;
  /** Whether multipliers go to DSP blocks (otherwise to LUTs and carry chains). */
  readonly dsp: boolean;
  /**
   * Whether --method auto weighs a ramp fold (f(x) = f(-x) + x) here. Not on xc7: there
   * Yosys measures the corpus's large ramp-folded uniform tables at up to 2.6 times the
   * cost model's estimate (silu 2^-12, s4.12: 299 LUTs measured, 114 estimated, against 107
   * for the unfolded table), the folded ROM losing the LUT6/MUXF7/MUXF8 packing of the
   * unfolded one; the model does not see that, and the fold does not pay there anyway.
   */
  readonly searchesRampFold: boolean;
  /**
   * How units for this target write a fold's arithmetic (PwlDesign.foldForm). On iCE40
   * `carry`: Yosys maps x - x_neg and y - (x_neg ? base + 1 : 0) to one carry chain each and
   * the XORs with the sign into the LUTs, where x_neg ? -x : x costs a negation and a
   * multiplexer per bit (38 folded sigmoid and tanh units of the sweeps: 6 919 LUT4 with
   * `mux`, 5 545 with `carry` on UP5K; on HX, 10 of them, 4 446 to 4 117); a ramp fold's sum
   * selected by the sign, rather than its gated term added, saves 103 LUT4 over the 7
   * ramp-folded auto units of the HX sweep and 69 over 4 on UP5K. On xc7 `mux`: there the
   * carry form costs more (tanh 2^-12: 109 LUTs to 162), the LUT6 absorbing the multiplexer
   * anyway. `generic` too: without carry chains the carry form costs a little more (24
   * folded sigmoid and tanh units: 11 567 LUTs against 11 398).
   */
  readonly foldForm: FoldForm;
  /**
   * Whether units for this target may spell a small comparator tree as a word tree
   * (PwlDesign.treeWords, gen/rtl/rom.ts): on 4-input LUTs it maps smaller where the rule
   * picks it; on xc7's 6-input LUTs the index ROM is a LUT per bit and word trees measured
   * dearer (gelu 2^-8, s4.12: 46 LUTs against 37).
   */
  readonly treeWords: boolean;
  /** Cell types by class, as regular expressions over Yosys's cell type names. */
  readonly cells: Readonly<Record<CellClass, RegExp>>;
  /** Which cells each count is, for reports (`LUTs = SB_LUT4`). */
  readonly counting: string;
  /** Where `--fmax` places and routes the unit, if it can. */
  readonly fmax?: PlaceAndRoute;
}

const NONE = /^$/;

const ICE40_CELLS = {
  lut: /^SB_LUT4$/,
  carry: /^SB_CARRY$/,
  dsp: /^SB_MAC16$/,
  bram: /^SB_RAM40_4K(NR|NW|NRNW)?$/,
  ff: /^SB_DFF\w*$/,
  uncounted: NONE,
} as const;

export const TARGETS: Readonly<Record<TargetName, Target>> = {
  ice40: {
    name: "ice40",
    family: "Lattice iCE40 UltraPlus (UP5K): 4-input LUTs, carry chains, multipliers in SB_MAC16 DSP blocks",
    summary: "iCE40 UP5K, multipliers in SB_MAC16 DSPs",
    yosys: "synth_ice40 -dsp",
    lutInputs: 4,
    dsp: true,
    searchesRampFold: true,
    foldForm: "carry",
    treeWords: true,
    cells: ICE40_CELLS,
    counting: "LUTs = SB_LUT4, carry = SB_CARRY, DSPs = SB_MAC16, BRAMs = SB_RAM40_4K, FFs = SB_DFF*",
    fmax: { device: "up5k", package: "sg48", name: "iCE40 UP5K" },
  },
  "ice40-hx": {
    name: "ice40-hx",
    family: "Lattice iCE40 HX/LP: 4-input LUTs and carry chains, no DSP blocks (multipliers in LUTs)",
    summary: "iCE40 HX/LP, no DSPs: multipliers in LUTs",
    yosys: "synth_ice40",
    lutInputs: 4,
    dsp: false,
    searchesRampFold: true,
    foldForm: "carry",
    treeWords: true,
    cells: ICE40_CELLS,
    counting: "LUTs = SB_LUT4, carry = SB_CARRY, BRAMs = SB_RAM40_4K, FFs = SB_DFF*",
    fmax: { device: "hx8k", package: "ct256", name: "iCE40 HX8K" },
  },
  xc7: {
    name: "xc7",
    family: "AMD/Xilinx 7-series: 6-input LUTs, CARRY4, multipliers in DSP48E1",
    summary: "Xilinx 7-series, multipliers in DSP48E1",
    yosys: "synth_xilinx",
    lutInputs: 6,
    dsp: true,
    searchesRampFold: false,
    foldForm: "mux",
    treeWords: false,
    cells: {
      lut: /^LUT[1-6]$/,
      carry: /^CARRY4$/,
      dsp: /^DSP48E1$/,
      bram: /^RAMB(18|36)E1$/,
      ff: /^FD[CPRS]E$/,
      // I/O and clock buffers, the slice's wide-function multiplexers (they come with the
      // LUTs they join), inverters (absorbed into LUTs or DSP inputs), constants.
      uncounted: /^(IBUF|OBUF|BUFG|MUXF7|MUXF8|INV|VCC|GND)$/,
    },
    counting:
      "LUTs = LUT1..LUT6, carry = CARRY4, DSPs = DSP48E1, BRAMs = RAMB18E1/RAMB36E1, FFs = FD*E; I/O buffers, MUXF7/8 and INV not counted",
  },
  generic: {
    name: "generic",
    family: "generic 4-input LUTs, no carry chains or DSP blocks (multipliers in LUTs)",
    summary: "4-input LUTs, no carry chains or DSPs",
    yosys: "synth -lut 4",
    lutInputs: 4,
    dsp: false,
    searchesRampFold: true,
    foldForm: "mux",
    treeWords: true,
    cells: {
      lut: /^\$lut$/,
      carry: NONE,
      dsp: NONE,
      bram: NONE,
      ff: /^\$_\w*DFF\w*_$/,
      uncounted: NONE,
    },
    counting: "LUTs = $lut (4-input), FFs = $_*DFF*_; memories and multipliers are mapped to LUTs",
  },
};

/** The targets `--fmax` can place and route. */
export const FMAX_TARGETS: readonly TargetName[] = TARGET_NAMES.filter((name) => TARGETS[name].fmax);

/** "ice40 (UP5K) or ice40-hx (HX8K)": the targets with Fmax, for messages. */
export function fmaxTargetsText(): string {
  return FMAX_TARGETS.map((name) => `${name} (${TARGETS[name].fmax!.device.toUpperCase()})`).join(" or ");
}

/** Cell counts of a synthesized unit. */
export interface CellCounts {
  readonly lut: number;
  readonly carry: number;
  readonly dsp: number;
  readonly bram: number;
  readonly ff: number;
  /** Every cell type Yosys reports, with its count, sorted by type. */
  readonly cells: Readonly<Record<string, number>>;
}

/**
 * Counts cells by the target's classes. A cell type in no class (e.g. a `$mul` Yosys left
 * unmapped) is an error: leaving it out would understate the cost.
 */
export function countCells(target: TargetName, cells: Readonly<Record<string, number>>): CellCounts {
  const classes = TARGETS[target].cells;
  const totals: Record<CellClass, number> = { lut: 0, carry: 0, dsp: 0, bram: 0, ff: 0, uncounted: 0 };
  const unknown: string[] = [];
  for (const [type, count] of Object.entries(cells)) {
    const cls = (Object.keys(classes) as CellClass[]).find((c) => classes[c].test(type));
    if (cls) totals[cls] += count;
    else unknown.push(`${type} x${count}`);
  }
  if (unknown.length > 0) {
    throw new Error(
      `yosys left cells that the ${target} counts do not cover: ${unknown.join(", ")}; the counts would understate the unit`,
    );
  }
  const sorted = Object.fromEntries(Object.entries(cells).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const { lut, carry, dsp, bram, ff } = totals;
  return { lut, carry, dsp, bram, ff, cells: sorted };
}
