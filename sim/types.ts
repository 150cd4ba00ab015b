/** What one simulator run found. Seconds are for the console only, never for files. */
export interface SimResult {
  readonly simulator: Simulator;
  readonly vectors: number;
  readonly mismatches: number;
  readonly passed: boolean;
  /** The first mismatch lines the testbench printed (x, expected, got). */
  readonly firstMismatches: readonly string[];
  /**
   * Why the run checked nothing: the sources did not compile (or elaborate), or the
   * testbench stopped without its RESULT line. The message is the tool's first error line.
   */
  readonly failure?: { readonly stage: "compile" | "run"; readonly message: string };
  /**
   * For a run that failed: the simulator's own error and warning lines (say, $readmemh
   * unable to open the vectors), which explain the mismatches that follow from them.
   */
  readonly diagnostics?: readonly string[];
  readonly seconds: number;
}

/** Icarus Verilog and Verilator read the Verilog, GHDL the VHDL. */
export const SIMULATORS = ["iverilog", "verilator", "ghdl"] as const;
export type Simulator = (typeof SIMULATORS)[number];
