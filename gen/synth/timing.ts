/**
 * The slowest register-to-register path of a placed and routed design, from nextpnr's
 * timing report (`--report`, JSON): every path nextpnr times, joined where it splits one.
 *
 * nextpnr-ice40 times an SB_MAC16 as if it were registered, clocked by its CLK pin. A DSP
 * whose registers are all bypassed has CLK tied to a constant, so nextpnr puts its ports in
 * a clock domain of that constant net (`$PACKER_GND_NET`): a path register -> multiplier ->
 * register is reported as two cross-domain paths, and the clock's own "Max frequency"
 * leaves both out. Here such a path is the sum of the slowest path into any constant-clocked
 * cell and the slowest path out of any (and, were they chained, the slowest path between
 * two, once per further cell): never less than any real path through them. Paths from or to
 * pins (`<async>`) are not register-to-register and are left out.
 */
export interface CriticalPath {
  /** Total delay in ns (rounded up to 1 ps): 1000 / delayNs is the Fmax in MHz. */
  readonly delayNs: number;
  readonly logicNs: number;
  readonly routingNs: number;
  /** The launching register (or DSP output), named after the Yosys cell it was packed from. */
  readonly from: string;
  /** The capturing register (or DSP input), named after the Yosys cell it was packed from. */
  readonly to: string;
  /** What the path runs through: LUT and carry levels, and any DSP on the way. */
  readonly through: string;
  /** nextpnr's clock-domain paths joined into this one, e.g. `clk -> $PACKER_GND_NET`. */
  readonly domains: readonly string[];
  /** A delay on the path that nextpnr has no data for (the SB_MAC16's own), when there is one. */
  readonly untimed?: string;
}

/** The parts of nextpnr's `--report` JSON read here. */
export interface NextpnrReport {
  readonly critical_paths?: readonly ReportPath[];
  readonly utilization?: Readonly<Record<string, { readonly used: number }>>;
}

interface ReportPath {
  readonly from: string;
  readonly to: string;
  readonly path: readonly ReportStep[];
}

interface ReportStep {
  readonly type: string;
  readonly delay: number;
  readonly net?: string;
  readonly from: { readonly cell: string; readonly port: string };
  readonly to: { readonly cell: string; readonly port: string };
}

/** A DSP port as nextpnr names it (A_0, B_15, O_31, ...); logic cells have I0..I3, O, CIN, COUT. */
const DSP_PORT = /^[ABCDO]_\d+$/;
const CONSTANT_CLOCK = /^\$PACKER_(GND|VCC)_NET/;

export const DSP_UNTIMED =
  "the SB_MAC16's own delay (nextpnr has no timing data for it: it counts 0.1 ns setup and 0.1 ns clock-to-out)";

/** The slowest register-to-register path of a report; throws if it has none. */
export function criticalPath(report: NextpnrReport): CriticalPath {
  const paths = (report.critical_paths ?? []).map((p) => ({
    ...p,
    source: domain(p.from),
    sink: domain(p.to),
    delay: p.path.reduce((total, step) => total + step.delay, 0),
  }));
  const clocked = paths.filter((p) => p.source.kind !== "async" && p.sink.kind !== "async");
  const slowest = <T extends { delay: number }>(list: readonly T[]): T | undefined =>
    list.reduce<T | undefined>(
      (best, p) => (best === undefined || p.delay > best.delay ? p : best),
      undefined,
    );

  const candidates: { delay: number; parts: typeof clocked }[] = clocked
    .filter((p) => p.source.kind === "clock" && p.sink.kind === "clock")
    .map((p) => ({ delay: p.delay, parts: [p] }));
  const into = slowest(clocked.filter((p) => p.source.kind === "clock" && p.sink.kind === "constant"));
  const out = slowest(clocked.filter((p) => p.source.kind === "constant" && p.sink.kind === "clock"));
  const between = slowest(clocked.filter((p) => p.source.kind === "constant" && p.sink.kind === "constant"));
  if (into && out) {
    const dsps = Math.max(1, report.utilization?.ICESTORM_DSP?.used ?? 1);
    const hops = between ? Array.from({ length: dsps - 1 }, () => between) : [];
    const parts = [into, ...hops, out];
    candidates.push({ delay: parts.reduce((total, p) => total + p.delay, 0), parts });
  }
  const worst = slowest(candidates);
  if (!worst) throw new Error("nextpnr's timing report has no register-to-register path");

  const steps = worst.parts.flatMap((p) => p.path);
  const sum = (type: string) => steps.reduce((t, s) => t + (s.type === type ? s.delay : 0), 0);
  const first = steps[0]!;
  const last = steps.at(-1)!;
  const dspUsed = (report.utilization?.ICESTORM_DSP?.used ?? 0) > 0;
  return {
    delayNs: Math.ceil(worst.delay * 1000 - 1e-6) / 1000,
    logicNs: round(sum("logic")),
    routingNs: round(sum("routing")),
    from: cellName(first.from.cell, first.from.port),
    to: cellName(last.to.cell, last.to.port),
    through: worst.parts
      .map((p) => levels(p.path, p.source.kind === "clock", p.sink.kind === "clock"))
      .join(" -> SB_MAC16 (unregistered) -> "),
    domains: worst.parts.map((p) => `${p.source.name} -> ${p.sink.name}`),
    ...(dspUsed ? { untimed: DSP_UNTIMED } : {}),
  };
}

/** Fmax in MHz for a path, rounded down to 0.01 MHz (never above 1 / the path's delay). */
export function fmaxOf(path: CriticalPath): number {
  return Math.floor(100_000 / path.delayNs) / 100;
}

function domain(text: string): { kind: "async" | "clock" | "constant"; name: string } {
  if (text === "<async>") return { kind: "async", name: text };
  const name = text
    .replace(/^(posedge|negedge) /, "")
    .replace(/\$glb_clk$/, "")
    .replace(/_$/, "");
  const clean = name.replace(/\$SB_IO_IN$/, "");
  return { kind: CONSTANT_CLOCK.test(name) ? "constant" : "clock", name: clean };
}

/**
 * "12 LUTs, 3 carry" for the logic steps of a path, after a registered DSP it starts from
 * and before one it ends at (an unregistered DSP between two parts is named by the caller).
 */
function levels(path: readonly ReportStep[], clockedStart: boolean, clockedEnd: boolean): string {
  const logic = path.filter((s) => s.type === "logic");
  const carry = logic.filter((s) => s.to.port === "COUT").length;
  const luts = logic.length - carry;
  const first = path[0];
  const last = path.at(-1);
  const start = clockedStart && first && DSP_PORT.test(first.from.port) ? ["SB_MAC16 (clocked)"] : [];
  const end = clockedEnd && last && DSP_PORT.test(last.to.port) ? ["SB_MAC16 (clocked)"] : [];
  const counts = [`${luts} LUT${luts === 1 ? "" : "s"}`, ...(carry > 0 ? [`${carry} carry`] : [])].join(", ");
  return [...start, counts, ...end].join(" -> ");
}

/**
 * A packed cell's name shortened to the register it holds: `y_r` for
 * `y_r_SB_DFF_Q_1_D_SB_LUT4_O_LC`, `unit.x_q0` for `unit.x_q0_SB_DFF_Q_13_DFFLC`.
 */
function cellName(cell: string, port: string): string {
  if (DSP_PORT.test(port)) return `${cell.replace(/_SB_MAC16\w*$/, "")} (SB_MAC16 ${port})`;
  if (/_SB_RAM40_4K/.test(cell)) return `${cell.replace(/_SB_RAM40_4K\w*$/, "")} (SB_RAM40_4K)`;
  return cell.replace(/_SB_DFF\w*$/, "").replace(/_(DFF)?LC$/, "");
}

function round(ns: number): number {
  return Math.round(ns * 1000) / 1000;
}
