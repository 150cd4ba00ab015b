import { defineConfig } from "vitest/config";

// Two tiers, both run by `npm test` and in CI: fast unit tests, and cosimulation in Icarus
// Verilog and Verilator (slow: each Verilator build is a C++ compile).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/cli/**/*.test.ts"],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: "cosim",
          include: ["test/cosim/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
