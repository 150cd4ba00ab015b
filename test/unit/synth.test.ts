import { describe, expect, it } from "vitest";
import { FMAX_TARGETS, TARGET_NAMES, TARGETS, countCells } from "../../gen/synth/targets.js";
import { type NextpnrReport, criticalPath, fmaxOf } from "../../gen/synth/timing.js";

/**
 * The synthesis target table, cell counting, and the reading of nextpnr's timing report,
 * without running any tool (test/cosim/synth.test.ts runs Yosys and nextpnr).
 */

/** A report step: one hop of `delay` ns from cell.port to cell.port. */
const step = (type: string, delay: number, from: string, to: string, net?: string) => {
  const pin = (text: string) => ({
    cell: text.slice(0, text.lastIndexOf(".")),
    port: text.slice(text.lastIndexOf(".") + 1),
  });
  return { type, delay, ...(net ? { net } : {}), from: pin(from), to: pin(to) };
};

const CLK = "posedge clk$SB_IO_IN_$glb_clk";
const GND = "posedge $PACKER_GND_NET_$glb_clk";

/** Shaped like nextpnr-ice40's report for a combinational unit with one SB_MAC16 between registers. */
function dspReport(into: number, out: number, local: number): NextpnrReport {
  return {
    critical_paths: [
      {
        from: CLK,
        to: CLK,
        path: [
          step("clk-to-q", 1.39, "x_r_SB_DFF_Q_DFFLC.O", "x_r_SB_DFF_Q_DFFLC.O"),
          step(
            "routing",
            local - 1.39 - 1.18,
            "x_r_SB_DFF_Q_DFFLC.O",
            "y_r_SB_DFF_Q_2_D_SB_LUT4_O_LC.I1",
            "x_r[15]",
          ),
          step("setup", 1.18, "y_r_SB_DFF_Q_2_D_SB_LUT4_O_LC.I1", "y_r_SB_DFF_Q_2_D_SB_LUT4_O_LC.I1"),
        ],
      },
      {
        from: "<async>",
        to: CLK,
        path: [step("routing", 90, "x[5]$sb_io.D_IN_0", "x_r_SB_DFF_Q_9_DFFLC.I0", "x[5]$SB_IO_IN")],
      },
      {
        from: CLK,
        to: GND,
        path: [
          step("clk-to-q", 1.39, "unit.x_mag_SB_DFF_Q_DFFLC.O", "unit.x_mag_SB_DFF_Q_DFFLC.O"),
          step("routing", 1.76, "unit.x_mag_SB_DFF_Q_DFFLC.O", "unit.t_SB_LUT4_O_LC.I3", "x_r[0]"),
          step("logic", 0.87, "unit.t_SB_LUT4_O_LC.I3", "unit.t_SB_LUT4_O_LC.O"),
          step("routing", 1.76, "unit.t_SB_LUT4_O_LC.O", "unit.c_SB_CARRY_CO$CARRY.I1"),
          step("logic", 0.6, "unit.c_SB_CARRY_CO$CARRY.I1", "unit.c_SB_CARRY_CO$CARRY.COUT"),
          step(
            "routing",
            into - 1.39 - 1.76 - 0.87 - 1.76 - 0.6 - 0.1,
            "unit.c.COUT",
            "unit.y_acc_SB_MAC16_O_DSP.B_3",
          ),
          step("setup", 0.1, "unit.y_acc_SB_MAC16_O_DSP.B_3", "unit.y_acc_SB_MAC16_O_DSP.B_3"),
        ],
      },
      {
        from: GND,
        to: CLK,
        path: [
          step("clk-to-q", 0.1, "unit.y_acc_SB_MAC16_O_DSP.O_8", "unit.y_acc_SB_MAC16_O_DSP.O_8"),
          step(
            "routing",
            out - 0.1 - 0.87 - 0.82,
            "unit.y_acc_SB_MAC16_O_DSP.O_8",
            "y_r_q_LC.I3",
            "unit.y_acc[8]",
          ),
          step("logic", 0.87, "y_r_q_LC.I3", "y_r_q_LC.O"),
          step("setup", 0.82, "y_r_SB_DFF_Q_1_D_SB_LUT4_O_LC.I3", "y_r_SB_DFF_Q_1_D_SB_LUT4_O_LC.I3"),
        ],
      },
      {
        from: CLK,
        to: "<async>",
        path: [step("routing", 80, "y_r_SB_DFF_Q_9_D_SB_LUT4_O_LC.O", "y_r[6]$sb_io.D_OUT_0", "y_r[6]")],
      },
    ],
    utilization: { ICESTORM_DSP: { used: 1 }, ICESTORM_LC: { used: 181 } },
  };
}

describe("synthesis targets", () => {
  it("has one entry per name, with a Yosys command, and Fmax on the iCE40 parts only", () => {
    expect([...TARGET_NAMES]).toEqual(["ice40", "ice40-hx", "xc7", "generic"]);
    for (const name of TARGET_NAMES) {
      expect(TARGETS[name].name).toBe(name);
      expect(TARGETS[name].yosys).toMatch(/^synth/);
    }
    expect(TARGETS.ice40.yosys).toBe("synth_ice40 -dsp");
    expect(TARGETS["ice40-hx"].yosys).toBe("synth_ice40");
    expect(TARGETS.generic.yosys).toBe("synth -lut 4");
    expect([...FMAX_TARGETS]).toEqual(["ice40", "ice40-hx"]);
    expect(TARGETS.ice40.fmax?.device).toBe("up5k");
    expect(TARGETS["ice40-hx"].fmax?.device).toBe("hx8k");
    expect(TARGETS["ice40-hx"].dsp).toBe(false);
  });

  it("counts every cell in a class, block RAMs included", () => {
    const counts = countCells("ice40", {
      SB_LUT4: 10,
      SB_CARRY: 3,
      SB_MAC16: 1,
      SB_RAM40_4K: 2,
      SB_DFF: 4,
      SB_DFFSR: 1,
    });
    expect(counts).toMatchObject({ lut: 10, carry: 3, dsp: 1, bram: 2, ff: 5 });
    expect(countCells("generic", { $lut: 7, $_DFF_P_: 2, $_SDFFE_PP0P_: 1 })).toMatchObject({
      lut: 7,
      ff: 3,
    });
    expect(
      countCells("xc7", { LUT6: 2, LUT3: 1, CARRY4: 1, DSP48E1: 1, FDRE: 3, IBUF: 9, MUXF7: 1, INV: 2 }),
    ).toMatchObject({ lut: 3, carry: 1, dsp: 1, ff: 3 });
  });

  it("refuses to count a netlist with cells the target does not map (a $mul left over)", () => {
    expect(() => countCells("generic", { $lut: 40, $mul: 1 })).toThrow(/\$mul x1/);
    expect(() => countCells("ice40-hx", { SB_LUT4: 40, $mul: 1 })).toThrow(/understate/);
  });
});

describe("critical path from nextpnr's report", () => {
  it("joins the two halves of a path through an unregistered SB_MAC16", () => {
    const path = criticalPath(dspReport(37.12, 16.04, 4.33));
    expect(path.delayNs).toBeCloseTo(53.16, 3);
    expect(path.domains).toEqual(["clk -> $PACKER_GND_NET", "$PACKER_GND_NET -> clk"]);
    expect(path.through).toBe("1 LUT, 1 carry -> SB_MAC16 (unregistered) -> 1 LUT");
    expect(path.from).toBe("unit.x_mag");
    expect(path.to).toBe("y_r");
    expect(path.untimed).toMatch(/SB_MAC16/);
    expect(fmaxOf(path)).toBe(18.81);
  });

  it("takes the clock's own path when it is the slowest, and ignores pin paths", () => {
    const path = criticalPath(dspReport(3, 2, 9.5));
    expect(path.delayNs).toBeCloseTo(9.5, 3);
    expect(path.domains).toEqual(["clk -> clk"]);
    expect(path.from).toBe("x_r");
  });

  it("counts a path between two unregistered DSPs once per further DSP", () => {
    const report = dspReport(10, 5, 1);
    const chained: NextpnrReport = {
      critical_paths: [
        ...report.critical_paths!,
        {
          from: GND,
          to: GND,
          path: [step("routing", 7, "unit.a_DSP.O_1", "unit.b_DSP.A_2", "unit.p[1]")],
        },
      ],
      utilization: { ICESTORM_DSP: { used: 3 } },
    };
    expect(criticalPath(chained).delayNs).toBeCloseTo(10 + 7 + 7 + 5, 3);
  });

  it("has no untimed note without DSPs, and no result without a register-to-register path", () => {
    const report = dspReport(3, 2, 9.5);
    const noDsp: NextpnrReport = { critical_paths: report.critical_paths!.slice(0, 2), utilization: {} };
    expect(criticalPath(noDsp).untimed).toBeUndefined();
    const pins: NextpnrReport = {
      critical_paths: report.critical_paths!.filter((p) => p.from === "<async>"),
    };
    expect(() => criticalPath(pins)).toThrow(/no register-to-register path/);
  });

  it("never gives an Fmax above 1 / the path's delay", () => {
    for (let ns = 1.001; ns < 200; ns *= 1.0137) {
      const path = criticalPath(dspReport(ns * 0.6, ns * 0.4, 1));
      expect(fmaxOf(path)).toBeLessThanOrEqual(1000 / (ns * 0.6 + ns * 0.4));
    }
  });
});
