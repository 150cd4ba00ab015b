import { defineConfig } from "vitest/config";

// Three tiers, all run by `npm test` and in CI: fast unit tests; fuzzing and property
// tests (thousands of cases); cosimulation in Icarus Verilog and Verilator (slow: each
// Verilator build is a C++ compile).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/cli/**/*.test.ts"],
          // Generous: CI machines are shared, and a loaded one runs CPU-bound tests 5x slower.
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "fuzz",
          include: ["test/fuzz/**/*.test.ts"],
          testTimeout: 900_000,
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
