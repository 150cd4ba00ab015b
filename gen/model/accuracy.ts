import { type FixFormat, minCode, ulp } from "../fixed/format.js";
import type { PwlChannel } from "../design/ir.js";
import { evaluateChannel, segmentOf } from "./golden.js";

/**
 * The accuracy check: the golden model against the real function over every input code.
 * (The bit-exact check, RTL against the golden model, lives in the simulators.)
 */
export interface ErrorStats {
  /** Largest |y - f(x)| over all input codes, in real units. */
  readonly max: number;
  readonly mean: number;
  readonly rms: number;
  /** max in output ulps. */
  readonly maxUlp: number;
  /** The input code where the largest error occurs (the first, if several). */
  readonly worstCode: number;
  /** Largest error within each segment. */
  readonly segmentMax: readonly number[];
}

export function measureChannel(input: FixFormat, channel: PwlChannel, reference: Float64Array): ErrorStats {
  const first = minCode(input);
  const step = ulp(channel.output);
  const segmentMax = new Array<number>(channel.breakpoints.length).fill(0);
  let max = -1;
  let worstCode = first;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < reference.length; i++) {
    const x = first + i;
    const error = Math.abs(evaluateChannel(channel, x) * step - reference[i]!);
    if (error > max) {
      max = error;
      worstCode = x;
    }
    const segment = segmentOf(channel.breakpoints, x);
    if (error > segmentMax[segment]!) segmentMax[segment] = error;
    sum += error;
    sumSquares += error * error;
  }
  return {
    max,
    mean: sum / reference.length,
    rms: Math.sqrt(sumSquares / reference.length),
    maxUlp: max / step,
    worstCode,
    segmentMax,
  };
}
