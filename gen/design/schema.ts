import { z } from "zod";
import { type FixFormat, OVERFLOW_MODES, ROUNDING_MODES, maxCode, minCode, width } from "../fixed/format.js";
import { datapathProblem, datapathShape } from "../segment/datapath.js";
import { MAX_SLOPE_DIGITS, digitsValue } from "../segment/digits.js";
import { coarseFormat, isRampConstant, tableDomain } from "../segment/fold.js";
import { moduleNameProblem } from "../spec/identifiers.js";
import { MAX_INPUT_BITS, MAX_OUTPUT_BITS, MAX_PIPELINE } from "../spec/schema.js";
import { type PwlChannel, type PwlDesign, type SlopeTap, FOLD_FORMS } from "./ir.js";

/**
 * The frozen IR (ir.ts) as read back from a manifest.json (`ir`, for pwlgen train --design):
 * everything the golden model relies on is checked, so a damaged or hand-edited IR is
 * refused naming the field instead of evaluating to NaN. Formats are within pwlgen's
 * widths, the datapath shifts are the ones the formats imply (and keep every value below
 * 2^51), breakpoints start at the table's first code and increase strictly within the
 * table, and there is one slope and one intercept per segment, each within its format.
 * The type annotation checks that what the schema accepts is a PwlDesign.
 */
const int = z.number().int();

const formatShape = z
  .object({ signed: z.boolean(), intBits: int.min(-64).max(64), fracBits: int.min(-64).max(64) })
  .strict();

/** An input or output format: at least 1 bit, 2 if signed, no negative fraction bits (as the spec accepts). */
const fixFormat = formatShape.refine(
  (format) => width(format) >= (format.signed ? 2 : 1) && format.fracBits >= 0,
  { message: "is not a format: it needs at least 1 bit (2 if signed) and no negative fraction bits" },
);

/**
 * A coefficient format: the narrowest that holds the stored values, 1 bit at least (s1.0
 * holds -1 and 0); with a coarse output grid its fraction bits may be negative (an
 * intercept stored in steps of 2, 4, ...).
 */
const coefficientFormat = formatShape.refine((format) => width(format) >= 1, {
  message: "is not a format: it needs at least 1 bit",
});

const widthAtMost = (bits: number) =>
  fixFormat.refine((format) => width(format) <= bits, {
    message: `is wider than the ${bits} bits pwlgen allows there`,
  });

const fold = z
  .object({
    kind: z.enum(["none", "odd", "even", "point", "ramp"]),
    constant: int.min(-(2 ** 33)).max(2 ** 33),
    style: z.enum(["twos", "ones"]),
  })
  .strict();

const select = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("tree") }).strict(),
  z
    .object({
      kind: z.literal("index"),
      indexBits: int.min(0).max(MAX_INPUT_BITS),
      shift: int.min(0).max(MAX_INPUT_BITS),
      offset: z.boolean(),
      offsetSaturates: z.literal(true).optional(),
      sharedSlopes: z.literal(true).optional(),
    })
    .strict(),
]);

const channelShape = {
  kind: z.literal("pwl"),
  port: z.enum(["y", "dy"]),
  output: widthAtMost(MAX_OUTPUT_BITS),
  rounding: z.enum(ROUNDING_MODES),
  overflow: z.enum(OVERFLOW_MODES),
  bound: z.number().positive(),
  fold,
  inputShift: int.min(0).max(MAX_INPUT_BITS - 1),
  outputShift: int.min(0).max(MAX_OUTPUT_BITS - 1),
  select,
  first: int,
  breakpoints: z.array(int).min(1),
  slopes: z.array(int),
  intercepts: z.array(int),
  slopeFormat: coefficientFormat,
  interceptFormat: coefficientFormat,
  shiftAdd: z
    .object({
      digits: int.min(1).max(MAX_SLOPE_DIGITS),
      terms: z.array(
        z
          .array(z.object({ shift: int.min(0).max(52), negative: z.boolean() }).strict())
          .max(MAX_SLOPE_DIGITS),
      ),
    })
    .strict()
    .optional(),
  productShift: int,
  interceptShift: int,
  shiftRounding: z.enum(["truncate", "half-even"]),
  saturateLow: z.boolean(),
  saturateHigh: z.boolean(),
  tableRange: z.tuple([int, int]),
  accumulatorWidth: int.min(1).max(53),
};

const slopeTapShape = {
  kind: z.literal("slope"),
  port: z.literal("dy"),
  output: widthAtMost(MAX_OUTPUT_BITS),
  rounding: z.enum(ROUNDING_MODES),
  values: z.array(int),
  fold,
};

export const pwlDesignSchema: z.ZodType<PwlDesign> = z
  .object({
    module: z.string().superRefine((name, ctx) => {
      const problem = moduleNameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    function: z.string().min(1),
    input: widthAtMost(MAX_INPUT_BITS),
    pipeline: int.min(0).max(MAX_PIPELINE),
    specHash: z.string().regex(/^[0-9a-f]{64}$/, "is not a spec hash (64 hex digits)"),
    toolVersion: z.string(),
    foldForm: z.enum(FOLD_FORMS),
    treeWords: z.literal(true).optional(),
    y: z.object({ ...channelShape, port: z.literal("y") }).strict(),
    dy: z
      .discriminatedUnion("kind", [
        z.object({ ...channelShape, port: z.literal("dy") }).strict(),
        z.object(slopeTapShape).strict(),
      ])
      .optional(),
  })
  .strict()
  .superRefine((design, ctx) => {
    checkChannel(design.input, design.y, ["y"], ctx);
    if (design.dy?.kind === "pwl") checkChannel(design.input, design.dy, ["dy"], ctx);
    else if (design.dy) checkTap(design.y, design.dy, ["dy"], ctx);
  });

type Path = (string | number)[];

function checkChannel(input: FixFormat, channel: PwlChannel, path: Path, ctx: z.RefinementCtx): void {
  const issue = (where: Path, message: string): void => {
    ctx.addIssue({ code: "custom", path: [...path, ...where], message });
  };
  const folded = channel.fold.kind !== "none";
  if (folded && !input.signed) return issue(["fold", "kind"], "folds a table of an unsigned input");
  if (channel.fold.kind === "ramp" && !isRampConstant(channel.fold.constant))
    return issue(["fold", "constant"], "is not a ramp fold's power of two >= 1");
  if (channel.inputShift >= width(input) - (folded ? 1 : 0))
    return issue(["inputShift"], "drops every bit of the table's input");
  if (channel.outputShift >= width(channel.output))
    return issue(["outputShift"], "leaves no output bit to compute");
  const formats = {
    input: coarseFormat(input, channel.inputShift),
    output: coarseFormat(channel.output, channel.outputShift),
    slope: channel.slopeFormat,
    intercept: channel.interceptFormat,
    rounding: channel.rounding,
    overflow: channel.overflow,
  };
  const problem = datapathProblem(formats);
  if (problem) return issue(["slopeFormat"], `with these formats ${problem}`);
  const shape = datapathShape(formats);
  for (const key of ["productShift", "interceptShift", "shiftRounding"] as const) {
    if (channel[key] !== shape[key]) return issue([key], `is not the one the formats give (${shape[key]})`);
  }
  // The table reads x, or a magnitude of x when folded, without its dropped bits.
  const { first, last } = tableDomain({ fold: channel.fold, shift: channel.inputShift }, input);
  if (channel.first !== first) return issue(["first"], `is not the table's first code (${first})`);
  const { breakpoints, slopes, intercepts } = channel;
  if (breakpoints[0] !== first) return issue(["breakpoints", 0], `is not the table's first code (${first})`);
  for (let i = 1; i < breakpoints.length; i++) {
    if (breakpoints[i]! <= breakpoints[i - 1]!)
      return issue(["breakpoints", i], `is not above the breakpoint before it (${breakpoints[i - 1]})`);
  }
  if (breakpoints.at(-1)! > last) {
    return issue(["breakpoints", breakpoints.length - 1], `is beyond the table's last code (${last})`);
  }
  if (channel.select.kind === "index") {
    const { indexBits, shift } = channel.select;
    if (indexBits + shift > width(input))
      return issue(["select"], `addresses more codes than a ${width(input)}-bit input has`);
    const size = 2 ** shift;
    const misaligned = breakpoints.findIndex((b) => (b - first) % size !== 0);
    if (misaligned >= 0) return issue(["breakpoints", misaligned], `is not on a cell of ${size} codes`);
    if (channel.select.offset && shift === 0)
      return issue(["select", "offset"], "needs cells of more than one code");
    if (channel.select.offsetSaturates && !channel.select.offset)
      return issue(["select", "offsetSaturates"], "needs local offsets");
  }
  const perSegment = (key: "slopes" | "intercepts", values: readonly number[], format: FixFormat): void => {
    if (values.length !== breakpoints.length)
      return issue([key], `has ${values.length} entries for ${breakpoints.length} segments`);
    const i = values.findIndex((v) => v < minCode(format) || v > maxCode(format));
    if (i >= 0) issue([key, i], "does not fit its format");
  };
  perSegment("slopes", slopes, channel.slopeFormat);
  perSegment("intercepts", intercepts, channel.interceptFormat);
  const shiftAdd = channel.shiftAdd;
  if (shiftAdd) {
    if (shiftAdd.terms.length !== slopes.length)
      return issue(
        ["shiftAdd", "terms"],
        `has ${shiftAdd.terms.length} entries for ${slopes.length} segments`,
      );
    const i = shiftAdd.terms.findIndex((t, s) => t.length > shiftAdd.digits || digitsValue(t) !== slopes[s]);
    if (i >= 0)
      issue(["shiftAdd", "terms", i], `is not slope ${slopes[i]} in at most ${shiftAdd.digits} digits`);
  }
}

function checkTap(y: PwlChannel, tap: SlopeTap, path: Path, ctx: z.RefinementCtx): void {
  const issue = (where: Path, message: string): void => {
    ctx.addIssue({ code: "custom", path: [...path, ...where], message });
  };
  if (tap.values.length !== y.breakpoints.length)
    return issue(["values"], `has ${tap.values.length} entries for ${y.breakpoints.length} segments of y`);
  const i = tap.values.findIndex((v) => v < minCode(tap.output) || v > maxCode(tap.output));
  if (i >= 0) issue(["values", i], "does not fit the dy format");
}
