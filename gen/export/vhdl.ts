import { type FixFormat, formatName, minCode, maxCode, toReal, width } from "../fixed/format.js";
import {
  type PwlChannel,
  type PwlDesign,
  type SlopeTap,
  hardwareSummary,
  isFolded,
  multiplierOperand,
  productWidth as productWidthOf,
  romEntries,
  segmentCount,
  segmentOf,
  tableInput,
} from "../design/ir.js";
import { type Fold, type FoldStyle, unfoldBase } from "../segment/fold.js";
import { cutPoints, foldSigns, headerLines, rampLayouts, shiftAddLayout } from "../rtl/view.js";
import { counted } from "../text.js";
import { renderExport } from "./templates.js";

/**
 * The VHDL-2008 view model: the same hardware as the Verilog (rtl/view.ts), laid out from
 * the IR with ieee.numeric_std only. The entity has the Verilog module's ports (as
 * std_logic and std_logic_vector, which every tool maps across languages), no generics,
 * and the same pipeline: K=1 output register, K=2 + after the coefficient ROM, K=3 + after
 * the multipliers, K=4 + input register; out_valid is in_valid delayed K cycles, with a
 * synchronous active-high reset. Per channel: fold (|x| or x ^ sign), table code, segment
 * select (a balanced comparator tree, or the table code's top bits), coefficient ROM (a
 * case statement), one signed multiply-add, rounding, saturation to the output grid, and
 * unfolding. Everything here only lays out what the IR says; the testbench proves it
 * equal to the golden model's vectors on every code.
 */
export interface VhdlModuleView {
  readonly header: readonly string[];
  readonly entity: string;
  readonly ports: readonly { readonly line: string; readonly last: boolean }[];
  readonly sections: readonly Section[];
}

/** One block of the architecture: its signals (declared before `begin`) and its statements. */
interface Section {
  readonly comment: string;
  readonly signals: readonly Signal[];
  readonly assigns: readonly string[] | false;
  readonly rom: RomView | false;
  readonly cut: CutView | false;
  readonly valid: ValidView | false;
}

interface Signal {
  name: string;
  readonly type: string;
}

interface RomView {
  readonly label: string;
  readonly index: string;
  readonly cases: readonly {
    readonly choice: string;
    readonly assignments: string;
    readonly comment: string;
  }[];
}

interface CutView {
  readonly label: string;
  readonly registers: readonly { readonly name: string; readonly source: string }[];
}

interface ValidView {
  readonly reset: string;
  readonly shift: string;
}

/** Text safe in a VHDL `--` comment: one line. */
export function vhdlComment(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}

/** A bit-string literal of `width` bits (two's complement for negatives), typed by context. */
export function bits(value: number, width: number): string {
  const modulus = 1n << BigInt(width);
  const v = ((BigInt(value) % modulus) + modulus) % modulus;
  return `"${v.toString(2).padStart(width, "0")}"`;
}

const slv = (w: number): string => `std_logic_vector(${w - 1} downto 0)`;
const num = (w: number, signed: boolean): string => `${signed ? "signed" : "unsigned"}(${w - 1} downto 0)`;

/** `name` (a signal of `from` bits) as `to` bits: sign- or zero-extended by resize, or its low bits. */
function fit(name: string, from: number, to: number): string {
  if (to === from) return name;
  return to > from ? `resize(${name}, ${to})` : `${name}(${to - 1} downto 0)`;
}

export function renderVhdl(design: PwlDesign): string {
  return renderExport("vhdl", "module.vhd.hbs", vhdlModuleView(design));
}

export function vhdlModuleView(design: PwlDesign): VhdlModuleView {
  const cuts = cutPoints(design.pipeline);
  const w = width(design.input);
  const tables = [design.y, ...(design.dy?.kind === "pwl" ? [design.dy] : [])];
  const tap = design.dy?.kind === "slope" ? design.dy : undefined;
  const sections: Section[] = [];
  const section = (comment: string, parts: Partial<Omit<Section, "comment">>): void => {
    // Signals are renamed as they pass pipeline registers: a section keeps the names it was given.
    sections.push({
      comment,
      assigns: false,
      rom: false,
      cut: false,
      valid: false,
      ...parts,
      signals: (parts.signals ?? []).map((signal) => ({ ...signal })),
    });
  };
  let stage = 0;
  const cut = (what: string, signals: Signal[], suffix: string): void => {
    stage++;
    const registers = signals.map((signal) => {
      const name = `${signal.name.replace(/_q\d$/, "")}_${suffix}`;
      const register = { name, source: signal.name };
      signal.name = name;
      return register;
    });
    section(`Pipeline stage ${stage}: ${what}.`, {
      signals: registers.map((r, i) => ({ name: r.name, type: signals[i]!.type })),
      cut: { label: `stage_${stage}`, registers },
    });
  };

  // The input, optionally registered.
  const x: Signal = { name: "x", type: slv(w) };
  if (cuts.input) cut("input register", [x], "q0");

  // Folding: a magnitude of x for symmetric tables, and the sign for unfolding the outputs.
  const { styles, needsSign, unfoldsWithSign } = foldSigns(design);
  const sign: Signal = { name: "x_neg", type: "std_logic" };
  const magnitudes: Record<FoldStyle, Signal> = {
    twos: { name: "x_mag", type: num(w, false) },
    ones: { name: "x_ones", type: num(w - 1, false) },
  };
  const code: Signal = { name: "x_code", type: num(w, design.input.signed) };
  const foldSignals: Signal[] = [];
  const foldAssigns: string[] = [];
  if (needsSign) {
    foldSignals.push(sign);
    foldAssigns.push(`${sign.name} <= ${x.name}(${w - 1});`);
  }
  if (styles.has("twos")) {
    const negative = needsSign ? sign.name : `${x.name}(${w - 1})`;
    foldSignals.push(magnitudes.twos);
    foldAssigns.push(
      `${magnitudes.twos.name} <= unsigned(not ${x.name}) + 1 when ${negative} = '1' else unsigned(${x.name});`,
    );
  }
  if (styles.has("ones")) {
    foldSignals.push(magnitudes.ones);
    foldAssigns.push(
      `${magnitudes.ones.name} <= unsigned(${x.name}(${w - 2} downto 0) xor (${w - 2} downto 0 => ${sign.name}));`,
    );
  }
  // Ramp folds add c * x = x & r zeros to y for negative x: gated here, added after the table.
  const rampTerms = rampLayouts(design);
  const ramps = rampTerms.map((term): Signal | undefined => {
    if (!term) return undefined;
    const ramp: Signal = { name: term.name, type: slv(term.outWidth) };
    const xBits =
      term.extend > 0
        ? `std_logic_vector(resize(signed(${x.name}), ${term.body}))`
        : `${x.name}(${term.body - 1} downto 0)`;
    const shifted = term.shift > 0 ? `${xBits} & ${bits(0, term.shift)}` : xBits;
    foldSignals.push(ramp);
    foldAssigns.push(`${ramp.name} <= ${shifted} when ${sign.name} = '1' else ${bits(0, term.outWidth)};`);
    return ramp;
  });
  if (tables.some((t) => !isFolded(t))) {
    foldSignals.push(code);
    foldAssigns.push(`${code.name} <= ${design.input.signed ? "signed" : "unsigned"}(${x.name});`);
  }
  if (foldSignals.length > 0) {
    section(
      [
        styles.size > 0 ? "Fold by symmetry:" : "The input code.",
        styles.has("twos") ? "x_mag = |x| (2^(w-1) for the most negative x);" : "",
        styles.has("ones") ? "x_ones = x ^ sign (-x - 1 for negative x, one XOR per bit);" : "",
        ...rampTerms.flatMap((term) => (term ? [term.comment] : [])),
        styles.size > 0 ? "outputs unfold below." : "",
      ]
        .filter(Boolean)
        .join(" "),
      { signals: foldSignals, assigns: foldAssigns },
    );
  }
  const foldedOf = (channel: PwlChannel): Signal =>
    isFolded(channel) ? magnitudes[channel.fold.style] : code;

  // Selection and ROMs; channels that read the same operand share one signal (and register).
  const operands = new Map<string, Signal>();
  const parts = tables.map((channel) => {
    const part = selectAndRom(
      channel,
      foldedOf(channel).name,
      design.input,
      channel === design.y ? tap : undefined,
    );
    section(part.selectComment, { signals: part.selectSignals, assigns: part.selectAssigns });
    section(part.romComment, {
      signals: part.columns,
      ...(part.rom ? { rom: part.rom } : { assigns: part.constants }),
    });
    const operand = operands.get(part.operand.name) ?? { ...part.operand };
    operands.set(operand.name, operand);
    return { channel, ...part, operand };
  });
  const live: Signal[] = [];
  const addLive = (signal: Signal): void => {
    if (!live.includes(signal)) live.push(signal);
  };
  parts.forEach((part) => addLive(part.operand));
  if (unfoldsWithSign) addLive(sign);
  for (const ramp of ramps) if (ramp) addLive(ramp);
  const coefficients = parts.map((part) => ({ slope: part.columns[0]!, intercept: part.columns[1]! }));
  const tapSignal = tap ? parts[0]!.columns[2]! : undefined;
  if (cuts.rom) {
    cut(
      "registers after segment select and the coefficient ROMs",
      [...live, ...coefficients.flatMap((c) => [c.slope, c.intercept]), ...(tapSignal ? [tapSignal] : [])],
      "q1",
    );
  }

  // Multipliers: signed operands (unsigned ones gain a zero sign bit).
  const products = parts.map((part, i) => {
    const channel = part.channel;
    const operandType = multiplierOperand(design.input, channel);
    const slopeSigned = channel.slopeFormat.signed;
    const left = operandType.signed ? part.operand.name : `signed('0' & ${part.operand.name})`;
    const right = slopeSigned ? coefficients[i]!.slope.name : `signed('0' & ${coefficients[i]!.slope.name})`;
    const productWidth = productWidthOf(design.input, channel);
    return {
      signal: { name: `${channel.port}_product`, type: num(productWidth, true) },
      left,
      right,
      productWidth,
    };
  });
  const layouts = parts.map((part) => shiftAddLayout(part.channel));
  const multipliers = products.filter((_, i) => !layouts[i]);
  if (multipliers.length > 0) {
    section("Multipliers: signed operands (unsigned ones gain a zero sign bit).", {
      signals: multipliers.map((p) => p.signal),
      assigns: multipliers.map((p) => `${p.signal.name} <= ${p.left} * ${p.right};`),
    });
  }
  parts.forEach((part, i) => {
    const layout = layouts[i];
    if (!layout) return;
    // Shift-add: each digit's term is the operand, zeroed unless the digit is enabled,
    // shifted left, and inverted when negative (the +1 of each negation joins the sum);
    // modulo 2^productWidth the sum is slope * operand exactly.
    const port = part.channel.port;
    const P = products[i]!.productWidth;
    const operandType = multiplierOperand(design.input, part.channel);
    const slope = coefficients[i]!.slope.name;
    const extended = `${port}_shift_operand`;
    const operandValue = operandType.signed
      ? `unsigned(resize(${part.operand.name}, ${P}))`
      : `resize(${part.operand.name}, ${P})`;
    const signals: Signal[] = [{ name: extended, type: num(P, false) }];
    const assigns = [`${extended} <= ${operandValue};`];
    const terms: string[] = [];
    for (let d = 0; d < layout.digits; d++) {
      const f = layout.field(d);
      const name = `${port}_term${d}`;
      signals.push({ name, type: num(P, false) });
      assigns.push(
        `${name} <= shift_left(${extended} and (${P - 1} downto 0 => ${slope}(${f.enable})), to_integer(${slope}(${f.shiftHi} downto ${f.shiftLo})));`,
      );
      terms.push(`(${name} xor (${P - 1} downto 0 => ${slope}(${f.negative})))`);
    }
    const carries = Array.from({ length: layout.digits }, (_, d) => {
      const f = layout.field(d);
      return `resize(${slope}(${f.negative} downto ${f.negative}), ${P})`;
    });
    signals.push(products[i]!.signal);
    assigns.push(`${products[i]!.signal.name} <= signed(${[...terms, ...carries].join(" + ")});`);
    section(
      `${port}: shift-add, slope * ${part.operand.name} as ${counted(layout.digits, "signed power-of-two digit")} (per digit in ${slope}: enable, sign, ${layout.shiftBits}-bit shift).`,
      { signals, assigns },
    );
  });
  if (cuts.product) {
    cut(
      "registers after the multipliers",
      [
        ...(unfoldsWithSign ? [sign] : []),
        ...ramps.filter((r): r is Signal => r !== undefined),
        ...products.map((p) => p.signal),
        ...coefficients.map((c) => c.intercept),
        ...(tapSignal ? [tapSignal] : []),
      ],
      "q2",
    );
  }

  const finals = parts.map((part, i) => {
    const { sections: datapathSections, final } = datapath(
      part.channel,
      products[i]!.signal.name,
      products[i]!.productWidth,
      coefficients[i]!.intercept.name,
      sign.name,
      ramps[i]?.name,
    );
    datapathSections.forEach((s) => section(s.comment, s));
    return { port: part.channel.port, signal: final };
  });
  if (tap && tapSignal) {
    const unfold = unfoldExpr(tap.fold, tapSignal.name, sign.name, width(tap.output));
    let signal: Signal = tapSignal;
    if (unfold) {
      signal = { name: "dy_unfolded", type: slv(width(tap.output)) };
      section("dy unfolds for negative x: the slope of an even table is odd.", {
        signals: [signal],
        assigns: [`${signal.name} <= ${unfold};`],
      });
    }
    finals.push({ port: tap.port, signal });
  }
  if (cuts.output)
    cut(
      "output registers",
      finals.map((f) => f.signal),
      "q",
    );
  section("Outputs.", { assigns: finals.map((f) => `${f.port} <= ${f.signal.name};`) });

  const pipelined = design.pipeline > 0;
  if (pipelined) {
    const k = design.pipeline;
    section("Valid: in_valid delayed by the pipeline; synchronous active-high reset.", {
      signals: [{ name: "valid_q", type: slv(k) }],
      valid: {
        reset: "(others => '0')",
        shift: k === 1 ? "(0 => in_valid)" : `valid_q(${k - 2} downto 0) & in_valid`,
      },
      assigns: [`out_valid <= valid_q(${k - 1});`],
    });
  }

  const ports: string[] = pipelined
    ? ["clk : in std_logic", "rst : in std_logic", "in_valid : in std_logic"]
    : [];
  ports.push(`x : in ${slv(w)}`);
  if (pipelined) ports.push("out_valid : out std_logic");
  for (const f of finals) ports.push(`${f.port} : out ${f.signal.type}`);
  return {
    header: [
      ...headerLines(design).map(vhdlComment),
      `ports: x ${formatName(design.input)}${design.dy ? `, y ${formatName(design.y.output)}, dy ${formatName(design.dy.output)}` : `, y ${formatName(design.y.output)}`} as std_logic_vector (two's complement for signed formats)`,
    ],
    entity: design.module,
    ports: ports.map((line, i) => ({ line, last: i === ports.length - 1 })),
    sections,
  };
}

interface SelectAndRom {
  readonly selectComment: string;
  readonly selectSignals: Signal[];
  readonly selectAssigns: string[];
  readonly romComment: string;
  /** slope, intercept, and dy for a slope tap. */
  readonly columns: Signal[];
  readonly rom: RomView | undefined;
  readonly constants: string[];
  readonly operand: Signal;
}

function selectAndRom(
  channel: PwlChannel,
  foldedName: string,
  input: FixFormat,
  tap: SlopeTap | undefined,
): SelectAndRom {
  const p = channel.port;
  const n = segmentCount(channel);
  const entries = romEntries(channel);
  const indexWidth = Math.max(1, Math.ceil(Math.log2(entries)));
  const indexName = `${p}_segment`;
  const inputType = tableInput(input, channel);
  const w = inputType.width;
  const signals: Signal[] = [];
  const assigns: string[] = [];
  // The table code: the folded input without its dropped low bits.
  let tableName = foldedName;
  if (channel.inputShift > 0) {
    tableName = `${p}_t`;
    signals.push({ name: tableName, type: num(w, inputType.signed) });
    assigns.push(
      `${tableName} <= ${foldedName}(${w + channel.inputShift - 1} downto ${channel.inputShift}); -- the table reads the top ${w} bits`,
    );
  }
  let operand: Signal = { name: tableName, type: num(w, inputType.signed) };
  const indexed = channel.select.kind === "index" ? channel.select : undefined;
  if (indexed?.offset) {
    operand = { name: `${p}_offset`, type: num(indexed.shift, false) };
    signals.push(operand);
    const low = `unsigned(${tableName}(${indexed.shift - 1} downto 0))`;
    // A two's complement fold's 2^b (top bit set, low bits clear) lies past the last cell:
    // its offset wraps to 0, or saturates at the cell's last code (select.offsetSaturates).
    assigns.push(
      indexed.offsetSaturates
        ? `${operand.name} <= ${low} or unsigned'(${indexed.shift - 1} downto 0 => ${tableName}(${w - 1})); -- the multiplier reads the offset within the cell (all ones for 2^${w - 1}, read as the last cell's last code)`
        : `${operand.name} <= ${low}; -- the multiplier reads the offset within the cell`,
    );
  }
  let selectComment: string;
  if (entries === 1) {
    selectComment = `${p}: a single segment, no segment select.`;
  } else if (indexed) {
    const k = indexed.indexBits;
    // The cell is min((t - first) >> shift, 2^k - 1), with t - first the table code as an
    // offset from its first code: t itself when folded or unsigned, t with its sign bit
    // inverted when signed.
    let offsetName = tableName;
    if (inputType.signed) {
      offsetName = `${p}_from_first`;
      signals.push({ name: offsetName, type: num(w, false) });
      assigns.push(
        `${offsetName} <= unsigned((not ${tableName}(${w - 1})) & ${tableName}(${w - 2} downto 0)); -- t - min(t)`,
      );
    }
    const topBits = w - indexed.shift;
    let expr: string;
    if (topBits > k) {
      expr = `(others => '1') when ${offsetName}(${w - 1} downto ${indexed.shift + k}) /= 0 else ${offsetName}(${indexed.shift + k - 1} downto ${indexed.shift})`;
    } else if (topBits === k) {
      expr = `${offsetName}(${w - 1} downto ${indexed.shift})`;
    } else {
      expr = `resize(${offsetName}(${w - 1} downto ${indexed.shift}), ${k})`;
    }
    signals.push({ name: indexName, type: num(indexWidth, false) });
    assigns.push(`${indexName} <= ${expr};`);
    selectComment =
      `${p}: ${entries === n ? "uniform segments" : `${counted(n, "segment")} on a grid of ${entries} cells`}, ` +
      `addressed by the top ${counted(k, "bit")} of the table code (no comparators).`;
  } else {
    const treeSignals: Signal[] = [];
    const treeAssigns: string[] = [];
    const build = (lo: number, hi: number): string => {
      if (hi - lo === 1) return `to_unsigned(${lo}, ${indexWidth})`;
      const mid = lo + Math.ceil((hi - lo) / 2);
      const left = build(lo, mid);
      const right = build(mid, hi);
      const name = `${p}_sel_${lo}_${hi - 1}`;
      const threshold = channel.breakpoints[mid]!;
      treeSignals.push({ name, type: num(indexWidth, false) });
      treeAssigns.push(
        `${name} <= ${left} when ${tableName} < ${threshold} else ${right}; -- ${codeName(channel)} < ${threshold} (${toReal(threshold * 2 ** channel.inputShift, input)})`,
      );
      return name;
    };
    const root = build(0, n);
    signals.push(...treeSignals, { name: indexName, type: num(indexWidth, false) });
    assigns.push(...treeAssigns, `${indexName} <= ${root};`);
    const hw = hardwareSummary(input, channel);
    selectComment = `${p}: segment select, a balanced comparator tree: ${counted(hw.comparators, "comparator")}, depth ${hw.treeDepth}.`;
  }

  const shiftAdd = shiftAddLayout(channel);
  const columns: Signal[] = [
    shiftAdd
      ? { name: `${p}_slope`, type: num(shiftAdd.width, false) }
      : { name: `${p}_slope`, type: num(width(channel.slopeFormat), channel.slopeFormat.signed) },
    { name: `${p}_intercept`, type: num(width(channel.interceptFormat), channel.interceptFormat.signed) },
    ...(tap ? [{ name: "dy_value", type: slv(width(tap.output)) }] : []),
  ];
  const row = (s: number): string[] => [
    shiftAdd
      ? bits(shiftAdd.words[s]!, shiftAdd.width)
      : bits(channel.slopes[s]!, width(channel.slopeFormat)),
    bits(channel.intercepts[s]!, width(channel.interceptFormat)),
    ...(tap ? [bits(tap.values[s]!, width(tap.output))] : []),
  ];
  const cellSegment = (cell: number): number =>
    indexed ? segmentOf(channel.breakpoints, channel.first + cell * 2 ** indexed.shift) : cell;
  const entry = (cell: number, choice: string): RomView["cases"][number] => {
    const s = cellSegment(cell);
    return {
      choice,
      assignments: row(s)
        .map((value, c) => `${columns[c]!.name} <= ${value};`)
        .join(" "),
      comment:
        `${entries === n ? "" : `cell ${cell}: `}segment ${s}: ${codeName(channel)} >= ${channel.breakpoints[s]} ` +
        `(${toReal(channel.breakpoints[s]! * 2 ** channel.inputShift, input)})`,
    };
  };
  const formats = `slope ${formatName(channel.slopeFormat)}, intercept ${formatName(channel.interceptFormat)}${tap ? `, dy ${formatName(tap.output)}` : ""}`;
  return {
    selectComment,
    selectSignals: signals,
    selectAssigns: assigns,
    romComment: `${p}: coefficient ROM, ${formats} (${entries} ${entries === 1 ? "entry" : "entries"}).`,
    columns,
    rom:
      entries === 1
        ? undefined
        : {
            label: `${p}_rom`,
            index: indexName,
            cases: Array.from({ length: entries }, (_, cell) =>
              entry(cell, cell === entries - 1 ? "others" : bits(cell, indexWidth)),
            ),
          },
    constants: row(0).map((value, c) => `${columns[c]!.name} <= ${value};`),
    operand,
  };
}

/** How comments name a channel's table code: x, |x|, x^sign, or with dropped bits. */
function codeName(channel: PwlChannel): string {
  const folded = isFolded(channel) ? (channel.fold.style === "ones" ? "x^sign" : "|x|") : "x";
  return channel.inputShift > 0 ? `(${folded} >> ${channel.inputShift})` : folded;
}

interface DatapathSection extends Partial<Omit<Section, "comment">> {
  readonly comment: string;
}

function datapath(
  channel: PwlChannel,
  product: string,
  productWidth: number,
  intercept: string,
  sign: string,
  ramp: string | undefined,
): { sections: DatapathSection[]; final: Signal } {
  const p = channel.port;
  const accWidth = channel.accumulatorWidth;
  const s = channel.productShift;
  const k = channel.interceptShift;
  const interceptFormat = channel.interceptFormat;
  const wi = width(interceptFormat);
  const acc: Signal = { name: `${p}_acc`, type: num(accWidth, true) };
  const q: Signal = { name: `${p}_q`, type: num(accWidth - s, true) };
  const sections: DatapathSection[] = [];

  // acc = product + {intercept, k zeros}, modulo 2^accWidth (the accumulator holds every value).
  const productTerm = fit(product, productWidth, accWidth);
  let aligned: string | undefined;
  if (k < accWidth) {
    let term: string;
    if (interceptFormat.signed) term = fit(intercept, wi, accWidth);
    else if (accWidth <= wi) term = `signed(${intercept}(${accWidth - 1} downto 0))`;
    else term = fit(`signed('0' & ${intercept})`, wi + 1, accWidth);
    aligned = k > 0 ? `shift_left(${term}, ${k})` : term;
  }
  sections.push({
    comment: `${p}: multiply-add, acc = slope * t + (intercept << ${k}), ${accWidth} bits.`,
    signals: [acc],
    assigns: [`${acc.name} <= ${productTerm}${aligned ? ` + ${aligned}` : ""};`],
  });

  const quotientWidth = accWidth - s;
  const truncated = s > 0 ? `${acc.name}(${accWidth - 1} downto ${s})` : acc.name;
  if (s === 0) {
    sections.push({
      comment: "No rounding: the accumulator already has the output's fraction bits.",
      signals: [q],
      assigns: [`${q.name} <= ${truncated};`],
    });
  } else if (channel.shiftRounding === "half-even") {
    const truncatedSignal: Signal = { name: `${p}_truncated`, type: num(quotientWidth, true) };
    const roundUp: Signal = { name: `${p}_round_up`, type: "std_logic" };
    const sticky = s >= 2 ? ` or ${acc.name}(${s - 2} downto 0) /= 0` : "";
    sections.push({
      comment: `Round half to even: drop ${s} fraction bits, add one above half or at an exact half with an odd result.`,
      signals: [truncatedSignal, roundUp, q],
      assigns: [
        `${truncatedSignal.name} <= ${truncated};`,
        `${roundUp.name} <= '1' when ${acc.name}(${s - 1}) = '1' and (${acc.name}(${s}) = '1'${sticky}) else '0';`,
        `${q.name} <= ${truncatedSignal.name} + 1 when ${roundUp.name} = '1' else ${truncatedSignal.name};`,
      ],
    });
  } else {
    sections.push({
      comment:
        channel.rounding === "half-up"
          ? `Round half up, folded into the intercepts (chosen so that dropping ${s} fraction bits rounds).`
          : `Truncate: drop ${s} fraction bits.`,
      signals: [q],
      assigns: [`${q.name} <= ${truncated};`],
    });
  }

  const out = channel.output;
  const outWidth = width(out);
  const d = channel.outputShift;
  const gridWidth = outWidth - d;
  const gridMin = Math.ceil(minCode(out) / 2 ** d);
  const gridMax = Math.floor(maxCode(out) / 2 ** d);
  const low =
    quotientWidth >= gridWidth
      ? `std_logic_vector(${q.name}(${gridWidth - 1} downto 0))`
      : `std_logic_vector(resize(${q.name}, ${gridWidth}))`;
  const choices: string[] = [];
  const clamps: string[] = [];
  if (channel.saturateHigh) {
    choices.push(
      `${bits(gridMax, gridWidth)} when ${q.name} > signed'(${bits(gridMax, quotientWidth)}) else`,
    );
    clamps.push("above");
  }
  if (channel.saturateLow) {
    choices.push(
      `${bits(gridMin, gridWidth)} when ${q.name} < signed'(${bits(gridMin, quotientWidth)}) else`,
    );
    clamps.push("below");
  }
  const resultExpr = [...choices, low].join(" ");
  const result: Signal = { name: `${p}_result`, type: slv(outWidth) };
  const grid: Signal | undefined = d > 0 ? { name: `${p}_grid`, type: slv(gridWidth) } : undefined;
  const assigns: string[] = grid
    ? [`${grid.name} <= ${resultExpr};`, `${result.name} <= ${grid.name} & ${bits(0, d)};`]
    : [`${result.name} <= ${resultExpr};`];
  sections.push({
    comment:
      (clamps.length > 0
        ? `Saturate ${clamps.reverse().join(" and ")} the range of ${formatName(out)}.`
        : `No saturation logic: every rounded value already lies in ${formatName(out)}.`) +
      (d > 0
        ? ` The table's grid is ${2 ** d} output ulps: the low ${counted(d, "bit")} of ${p} are zero.`
        : ""),
    signals: grid ? [grid, result] : [result],
    assigns,
  });
  const unfolded = ramp
    ? `std_logic_vector(unsigned(${result.name}) + unsigned(${ramp}))`
    : unfoldExpr(channel.fold, result.name, sign, outWidth, channel.tableRange);
  if (!unfolded) return { sections, final: result };
  const final: Signal = { name: `${p}_unfolded`, type: slv(outWidth) };
  sections.push({
    comment: ramp
      ? `Unfold for negative x: ${p}(x) = ${p}(t) + ${channel.fold.constant} * x (in range by construction).`
      : `Unfold for negative x: ${p}(x) = ${unfoldBase(channel.fold)} - ${p}(t)${unfolded.includes("xor") ? ", an XOR" : ""} (in range by construction).`,
    signals: [final],
    assigns: [`${final.name} <= ${unfolded};`],
  });
  return { sections, final };
}

/**
 * The unfolding expression for negative x (u = base - y, see unfoldBase), or undefined
 * when the fold needs none, chosen as rtl/view.ts chooses it: a one's complement unfold is
 * an XOR with the sign (~y for odd folds, y's low n bits inverted for point folds with
 * C = 2^n whose table stays in [0, C - 1]); otherwise a subtraction modulo 2^w.
 */
function unfoldExpr(
  fold: Fold,
  value: string,
  sign: string,
  outWidth: number,
  tableRange: readonly [number, number] = [-Infinity, Infinity],
): string | undefined {
  const base = unfoldBase(fold);
  if (base === undefined) return undefined;
  const invert = (hi: number): string => `${value}(${hi} downto 0) xor (${hi} downto 0 => ${sign})`;
  if (fold.style === "ones") {
    if (fold.kind === "odd") return invert(outWidth - 1);
    const n = Math.log2(fold.constant);
    if (
      Number.isInteger(n) &&
      n >= 1 &&
      n <= outWidth &&
      tableRange[0] >= 0 &&
      tableRange[1] < fold.constant
    ) {
      return n === outWidth
        ? invert(outWidth - 1)
        : `${value}(${outWidth - 1} downto ${n}) & (${invert(n - 1)})`;
    }
  } else if (fold.kind === "odd") {
    return `std_logic_vector(unsigned(not ${value}) + 1) when ${sign} = '1' else ${value}`;
  }
  return `std_logic_vector(unsigned'(${bits(base, outWidth)}) - unsigned(${value})) when ${sign} = '1' else ${value}`;
}

/** What the VHDL testbench template prints. */
export interface VhdlTestbenchView {
  readonly header: readonly string[];
  readonly entity: string;
  readonly name: string;
  readonly vectorFile: string;
  readonly vectorCount: number;
  readonly xWidth: number;
  readonly outWidth: number;
  readonly digits: number;
  readonly outputs: string;
  readonly outputSignals: readonly { readonly name: string; readonly type: string; readonly last: boolean }[];
  readonly pipelined: boolean;
  readonly latency: number;
  readonly historyShift: string;
}

export function vhdlTestbenchView(
  design: PwlDesign,
  vectorFile: string,
  vectorCount: number,
): VhdlTestbenchView {
  const yWidth = width(design.y.output);
  const dyWidth = design.dy ? width(design.dy.output) : 0;
  const xWidth = width(design.input);
  const stages = Math.max(1, design.pipeline);
  return {
    header: headerLines(design).map(vhdlComment),
    entity: design.module,
    name: `${design.module}_tb`,
    vectorFile,
    vectorCount,
    xWidth,
    outWidth: yWidth + dyWidth,
    digits: Math.ceil((xWidth + yWidth + dyWidth) / 4),
    outputs: design.dy ? "y & dy" : "y",
    outputSignals: [
      { name: "y", type: slv(yWidth), last: design.dy === undefined },
      ...(design.dy ? [{ name: "dy", type: slv(dyWidth), last: true }] : []),
    ],
    pipelined: design.pipeline > 0,
    latency: design.pipeline,
    historyShift: stages === 1 ? "(0 => next_valid)" : `history(${stages - 2} downto 0) & next_valid`,
  };
}

export function renderVhdlTestbench(design: PwlDesign, vectorFile: string, vectorCount: number): string {
  return renderExport("vhdl", "testbench.vhd.hbs", vhdlTestbenchView(design, vectorFile, vectorCount));
}
