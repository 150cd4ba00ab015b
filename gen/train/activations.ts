import { maxCode, minCode, quantize, ulp, width } from "../fixed/format.js";
import type { PwlDesign } from "../design/ir.js";
import { evaluate, evaluateDerivative, segmentAt } from "../model/golden.js";
import type { Activation } from "./mlp.js";

/**
 * The activations under comparison. `exact` uses the double-precision f and f'. The PWL
 * variants compute exactly what the hardware would: the pre-activation is quantized to
 * the unit's input format (its rounding, saturating), and the output code is read back in
 * the output format. The golden model is tabulated once over every input code, so a
 * lookup is the golden model's answer.
 */
export function exactActivation(f: (x: number) => number, df: (x: number) => number): Activation {
  return {
    forward(z, a) {
      for (let i = 0; i < z.length; i++) a[i] = f(z[i]!);
    },
    derivative(z, d) {
      for (let i = 0; i < z.length; i++) d[i] = df(z[i]!);
    },
  };
}

/** y from the design; dy from `derivative` (a design with a dy port, or y's segment slope). */
export function pwlActivation(design: PwlDesign, derivative: "port" | "segment-slope"): Activation {
  const y = tabulate(design, (x) => evaluate(design, x) * ulp(design.y.output));
  const dy =
    derivative === "port"
      ? tabulate(design, (x) => evaluateDerivative(design, x) * ulp(design.dy!.output))
      : tabulate(design, (x) => segmentSlope(design, x));
  const index = tableIndex(design);
  return {
    forward(z, a) {
      for (let i = 0; i < z.length; i++) a[i] = y[index(z[i]!)]!;
    },
    derivative(z, d) {
      for (let i = 0; i < z.length; i++) d[i] = dy[index(z[i]!)]!;
    },
  };
}

/**
 * The table index of a pre-activation: quantized to the input format (the unit's rounding,
 * saturating) and offset by the smallest code. Round-half-up, the default, is inlined, as
 * it is what a training loop would do; the other modes use the format's own rounding.
 */
function tableIndex(design: PwlDesign): (z: number) => number {
  const input = design.input;
  const first = minCode(input);
  const last = maxCode(input) - first;
  const scale = 2 ** input.fracBits;
  if (design.y.rounding !== "half-up") {
    return (z) => quantize(z, input, design.y.rounding, "saturate") - first;
  }
  return (z) => {
    const i = Math.floor(z * scale + 0.5) - first;
    return i < 0 ? 0 : i > last ? last : i;
  };
}

/** The real slope of the y segment input code x uses (for designs without a dy port). */
function segmentSlope(design: PwlDesign, x: number): number {
  const channel = design.y;
  const slope = channel.slopes[segmentAt(channel, x)]! * 2 ** -channel.slopeFormat.fracBits;
  if (x >= 0) return slope;
  // y(x) = y(t) at t = -x for an even fold, y(t) + x for a ramp fold (f(x) = f(-x) + x).
  if (channel.fold.kind === "even") return -slope;
  if (channel.fold.kind === "ramp") return 1 - slope;
  return slope;
}

const MAX_TABLE_BITS = 22;

function tabulate(design: PwlDesign, value: (x: number) => number): Float64Array {
  if (width(design.input) > MAX_TABLE_BITS) {
    throw new Error(`training tabulates the unit; inputs up to ${MAX_TABLE_BITS} bits are supported`);
  }
  const first = minCode(design.input);
  const table = new Float64Array(maxCode(design.input) - first + 1);
  for (let i = 0; i < table.length; i++) table[i] = value(first + i);
  return table;
}
