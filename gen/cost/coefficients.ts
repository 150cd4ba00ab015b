import type { TargetName } from "../synth/targets.js";
import type { Features } from "./features.js";

/**
 * The cost model's weights per target: LUTs = constant + sum of weight x feature. Fitted to
 * Yosys's LUT counts over the corpus in test/fixtures/cost-corpus.json by
 * scripts/cost-corpus.ts (non-negative least squares); test/unit/cost.test.ts checks the
 * fit (rank correlation and median relative error per target).
 */
export interface Coefficients {
  readonly constant: number;
  readonly weights: Readonly<Partial<Record<keyof Features, number>>>;
}

export const COEFFICIENTS: Readonly<Record<TargetName, Coefficients>> = {
  ice40: {
    constant: 0,
    weights: {
      foldAdderBits: 1,
      foldXorBits: 1,
      comparators: 0.5,
      compareBits: 0.35,
      treeMuxBits: 0.5,
      romLuts: 1,
      multiplierLutBits: 1,
      adderBits: 1,
      roundBits: 1,
      saturateBits: 1,
      unfoldAdderBits: 1,
      unfoldXorBits: 1,
    },
  },
  "ice40-hx": {
    constant: 0,
    weights: {
      foldAdderBits: 1,
      foldXorBits: 0.5,
      comparators: 0.5,
      compareBits: 0.35,
      treeMuxBits: 0.5,
      romLuts: 1,
      multiplierLutBits: 1,
      adderBits: 1,
      roundBits: 1,
      saturateBits: 1,
      unfoldAdderBits: 1,
      unfoldXorBits: 1,
    },
  },
  xc7: {
    constant: 0,
    weights: {
      foldAdderBits: 1,
      foldXorBits: 0.5,
      comparators: 0.3,
      compareBits: 0.2,
      treeMuxBits: 0.3,
      romLuts: 1,
      multiplierLutBits: 0.6,
      adderBits: 1,
      roundBits: 1,
      saturateBits: 1,
      unfoldAdderBits: 1,
      unfoldXorBits: 0.5,
    },
  },
  generic: {
    constant: 0,
    weights: {
      foldAdderBits: 2,
      foldXorBits: 0.5,
      comparators: 0.5,
      compareBits: 0.35,
      treeMuxBits: 0.5,
      romLuts: 1,
      multiplierLutBits: 2,
      adderBits: 2,
      roundBits: 1,
      saturateBits: 1,
      unfoldAdderBits: 2,
      unfoldXorBits: 1,
    },
  },
};
