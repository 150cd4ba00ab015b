import { type FixFormat, maxCode, minCode, ulp } from "../fixed/format.js";

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
  /** Largest error within each segment (by the segment index the hardware uses). */
  readonly segmentMax: readonly number[];
}

export interface MeasureRequest {
  readonly input: FixFormat;
  readonly output: FixFormat;
  /** The output code the hardware gives for input code x (the golden model). */
  readonly hardware: (x: number) => number;
  /** The real function at every input code (index x - minCode(input)). */
  readonly reference: Float64Array;
  /** The segment input code x uses, and the number of segments. */
  readonly segment: (x: number) => number;
  readonly segments: number;
}

export function measure(request: MeasureRequest): ErrorStats {
  const { input, output } = request;
  const step = ulp(output);
  const segmentMax = new Array<number>(request.segments).fill(0);
  let max = -1;
  let worstCode = minCode(input);
  let sum = 0;
  let sumSquares = 0;
  const count = maxCode(input) - minCode(input) + 1;
  const first = minCode(input);
  const last = maxCode(input);
  for (let x = first; x <= last; x++) {
    const error = Math.abs(request.hardware(x) * step - request.reference[x - first]!);
    if (error > max) {
      max = error;
      worstCode = x;
    }
    const segment = request.segment(x);
    if (error > segmentMax[segment]!) segmentMax[segment] = error;
    sum += error;
    sumSquares += error * error;
  }
  return {
    max,
    mean: sum / count,
    rms: Math.sqrt(sumSquares / count),
    maxUlp: max / step,
    worstCode,
    segmentMax,
  };
}
